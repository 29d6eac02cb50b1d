package org.countersign.launcher;

import static org.countersign.launcher.BenchSupport.cpuGroups;
import static org.countersign.launcher.BenchSupport.drain;
import static org.countersign.launcher.BenchSupport.pid;
import static org.countersign.launcher.BenchSupport.progress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.countersign.stack.DevKeys;

/**
 * OTP verifications per second at saturation, and p50/p99 at half of that rate, on HOTP tokens
 * imported as a real deployment gets them (PSKC documents through the registration-service, each
 * token assigned to a user; the otp-service takes both from Kafka), and kept for the next run. Every
 * request carries the next code of a token that only its own connection uses, so every success moves
 * the token's replay state (a conditional UPDATE) and writes an OtpVerified event to the outbox. In
 * the same run, the limit of the database: pgbench doing exactly those two writes in one transaction,
 * on a scratch schema with the same tables, at the same concurrency.
 *
 * <p>This class runs the phases and writes the report; the tokens are {@link OtpTokens} (prepared by
 * {@link OtpTokenSetup}, imported by {@link OtpTokenImport}), the load is {@link OtpVerifier}, and the
 * limit is {@link OtpPgBenchLimit}.
 */
final class OtpBenchmark implements BenchCommand.Benchmark {

    /** Each connection owns CREDENTIALS / CONNECTIONS tokens and cycles through them. */
    static final int CONNECTIONS = 32;
    static final Duration MEASURE = Duration.ofSeconds(10);
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    /** The longest the saturation warm-up waits for otp-service's JIT compiler to go quiet. */
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(60);
    private static final Duration PACED_WARM_UP = Duration.ofSeconds(3);
    private static final int GOAL_RATE = 5_000;
    private static final double GOAL_SHARE = 0.5;

    @Override
    public String name() {
        return "otp";
    }

    @Override
    public String description() {
        return "HOTP verifications/s at saturation and p50/p99 at half of it, beside pgbench doing the same writes";
    }

    /** The database the figures of PostgreSQL come from, and where the tokens and the report of this run go. */
    private record Context(String jdbc, String dbUser, String dbPassword, Map<String, List<Long>> groups, int otpPort,
                           String verifying, OtpTokens tokens, Path file, Map<String, Object> figures) {

        PgStatements statements() {
            return new PgStatements(jdbc, dbUser, dbPassword);
        }

        String outboxBacklog() {
            return drain(jdbc, dbUser, dbPassword, List.of("otp"));
        }
    }

    @Override
    public Map<String, Object> run(Workspace workspace, Properties state) throws Exception {
        // Paced connections wait between requests; the JDK keeps only 5 idle ones per server unless told otherwise.
        System.setProperty("http.maxConnections", Integer.toString(CONNECTIONS * 2));
        String jdbc = workspace.env().getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:" + state.getProperty("postgres"));
        String dbUser = workspace.env().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres");
        String dbPassword = workspace.env().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "");
        // First, so that a missing pgbench stops the run before anything is seeded.
        PgBench pgbench = PgBench.locateOrInstall(workspace.env(), BenchSupport::progress);

        String registration = "http://127.0.0.1:" + state.getProperty("service.registration.port");
        int otpPort = Integer.parseInt(state.getProperty("service.otp.port"));
        String otp = "http://127.0.0.1:" + otpPort;
        DevKeys keys = DevKeys.in(workspace.keys());
        Path file = workspace.dataDir().resolve("bench").resolve("otp-tokens.properties");
        Map<String, Object> figures = new LinkedHashMap<>();

        OtpTokenSetup.Ready ready = OtpTokenSetup.prepare(registration, otp, keys, file);
        OtpTokens tokens = ready.tokens();
        String verifying = OtpTokenSetup.verifyAuth(keys, tokens);
        String verifyUrl = otp + "/api/v1/otp/verify";
        figures.put("credentials", OtpTokens.CREDENTIALS + " HOTP tokens (" + OtpTokens.POLICY.format() + "), one per user of "
                + tokens.domain);
        figures.put("tokens", ready.origin());
        figures.put("replay check (last accepted code again)", OtpTokenSetup.replayCheck(verifyUrl, verifying, tokens));
        figures.put("connections (HTTP) = clients (pgbench)", CONNECTIONS);
        figures.put("seconds measured, each", MEASURE.toSeconds());
        Context run = new Context(jdbc, dbUser, dbPassword, cpuGroups(workspace, state, List.of("otp")), otpPort, verifying, tokens,
                file, figures);

        ClosedLoop.Rate saturation;
        try {
            saturation = saturation(run, pid(state.getProperty("service.otp.pid")));
            tokens.save(file);
            halfLoad(run, saturation.perSecond() / 2);
        } finally {
            tokens.save(file);
        }
        PgBench.Result limit = limit(run, workspace, pgbench);

        double share = saturation.perSecond() / limit.tps();
        figures.put("verifications / pgbench (goal >= 50 %)", String.format(Locale.ROOT, "%.0f %%", 100 * share));
        figures.put("goal: >= 5,000/s and >= 50 % of pgbench", (saturation.perSecond() >= GOAL_RATE ? "rate met" : "rate not met")
                + ", " + (share >= GOAL_SHARE ? "share met" : "share not met"));
        return figures;
    }

    /** As many verifications as CONNECTIONS connections get done, each waiting for its answer. */
    private static ClosedLoop.Rate saturation(Context run, Long otpPid) throws Exception {
        progress(String.format(Locale.ROOT, "saturation: %d connections, warm-up %d s and until otp-service's JIT compiler"
                + " is quiet (at most %d s), %d s measured...", CONNECTIONS, WARM_UP.toSeconds(), WARM_UP_LIMIT.toSeconds(),
                MEASURE.toSeconds()));
        CpuUse cpu = new CpuUse(run.groups());
        PgStatements db = run.statements();
        JitWarmUp jit = new JitWarmUp(otpPid, WARM_UP, WARM_UP_LIMIT);
        ClosedLoop.Rate saturation;
        try (OtpVerifier load = new OtpVerifier(run.otpPort(), run.verifying(), run.tokens())) {
            saturation = ClosedLoop.run(CONNECTIONS, jit, MEASURE, load, ClosedLoop.Window.all(cpu, db, jit));
        }
        Map<String, Object> figures = run.figures();
        figures.put("saturation: warm-up", jit.warmUp());
        figures.put("saturation: otp-service JIT compiler, cores in the window", jit.duringWindow());
        if (saturation.done() == 0) {
            throw new IllegalStateException("No verification was accepted at saturation (" + saturation.errors()
                    + " were not); see ./countersign logs otp");
        }
        figures.put("saturation: verifications/s", Math.round(saturation.perSecond()));
        figures.put("saturation: not accepted", saturation.errors());
        figures.put("saturation: p50 / p99 ms (closed loop)", saturation.percentile(0.50) + " / " + saturation.percentile(0.99));
        figures.put("saturation: CPU, cores", cpu.summary());
        figures.put("saturation: CPU ms per verification", cpu.msPerOperation(saturation.perSecond(),
                "otp-service", "PostgreSQL", "Kafka", "bench client"));
        figures.put("saturation: PostgreSQL per verification", db.perOperation(saturation.done()));
        db.topPerOperation(saturation.done(), 8).forEach(line -> progress("  per verification: " + line));
        figures.put("saturation: otp outbox backlog at the end", run.outboxBacklog());
        return saturation;
    }

    /** Latency at a steady {@code rate}, half of saturation. */
    private static void halfLoad(Context run, double rate) throws Exception {
        progress(String.format(Locale.ROOT, "half load: %.0f verifications/s, %d s warm-up, %d s measured...", rate,
                PACED_WARM_UP.toSeconds(), MEASURE.toSeconds()));
        CpuUse cpu = new CpuUse(run.groups());
        PgStatements db = run.statements();
        ClosedLoop.Rate paced;
        try (OtpVerifier load = new OtpVerifier(run.otpPort(), run.verifying(), run.tokens())) {
            paced = PacedLoop.run(CONNECTIONS, rate, PACED_WARM_UP, MEASURE, load, ClosedLoop.Window.all(cpu, db));
        }
        Map<String, Object> figures = run.figures();
        figures.put("half load: target verifications/s", Math.round(rate));
        figures.put("half load: verifications/s done", Math.round(paced.perSecond()));
        figures.put("half load: not accepted", paced.errors());
        figures.put("half load: p50 ms", paced.percentile(0.50));
        figures.put("half load: p99 ms", paced.percentile(0.99));
        figures.put("half load: CPU, cores", cpu.summary());
        figures.put("half load: CPU ms per verification", cpu.msPerOperation(paced.perSecond(), "otp-service", "PostgreSQL"));
        figures.put("half load: PostgreSQL per verification", db.perOperation(paced.done()));
        figures.put("half load: otp outbox backlog at the end", run.outboxBacklog());
    }

    /** The database's rate for the same writes, without the service: pgbench. */
    private static PgBench.Result limit(Context run, Workspace workspace, PgBench pgbench) throws Exception {
        progress(String.format(Locale.ROOT, "limit: pgbench, %d clients, %d s warm-up, %d s measured...", CONNECTIONS,
                OtpPgBenchLimit.warmUpSeconds(), MEASURE.toSeconds()));
        CpuUse cpu = new CpuUse(run.groups());
        PgStatements db = run.statements();
        PgBench.Result limit = OtpPgBenchLimit.run(workspace, pgbench, run.jdbc(), run.dbUser(), run.dbPassword(),
                ClosedLoop.Window.all(cpu, db), run.figures());
        Map<String, Object> figures = run.figures();
        figures.put("pgbench: transactions/s (UPDATE + INSERT)", Math.round(limit.tps()));
        figures.put("pgbench: latency average ms", limit.latencyAverageMs());
        figures.put("pgbench: CPU, cores", cpu.summary());
        // pgbench runs as a child of this JVM, so its own CPU is the bench client's.
        figures.put("pgbench: CPU ms per transaction", cpu.msPerOperation(limit.tps(), "PostgreSQL", "bench client"));
        figures.put("pgbench: PostgreSQL per transaction", db.perOperation(limit.transactions()));
        return limit;
    }
}
