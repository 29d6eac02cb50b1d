package org.countersign.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.countersign.events.Topics;
import org.countersign.events.payload.OtpVerified;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;

/**
 * OTP verifications per second at saturation, and p50/p99 at half of that rate, on HOTP tokens
 * imported as a real deployment gets them (PSKC documents through the registration-service, each
 * token assigned to a user; the otp-service takes both from Kafka), and kept for the next run. Every
 * request carries the next code of a token that only its own connection uses, so every success moves
 * the token's replay state (a conditional UPDATE) and writes an OtpVerified event to the outbox. In
 * the same run, the limit of the database: pgbench doing exactly those two writes in one transaction,
 * on a scratch schema with the same tables, at the same concurrency.
 *
 * <p>HOTP, not TOTP: a TOTP token accepts one code per 30-second step, so a sustained N/s would need
 * 30 N tokens; an HOTP token accepts its next counter at every request.
 */
final class OtpBenchmark implements BenchCommand.Benchmark {

    /** One token per user; each connection owns CREDENTIALS / CONNECTIONS of them and cycles through them. */
    static final int CREDENTIALS = 4096;
    static final int CONNECTIONS = 32;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    /** The longest the saturation warm-up waits for otp-service's JIT compiler to go quiet. */
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(60);
    private static final Duration MEASURE = Duration.ofSeconds(10);
    private static final Duration PACED_WARM_UP = Duration.ofSeconds(3);
    private static final int PGBENCH_WARM_UP_SECONDS = 3;
    private static final int PSKC_BATCH = 1024;
    /** How far past its recorded counter a token is resynchronised (more than one run can spend; HOTP's resync window is 1,000). */
    private static final int RESYNC_SKIP = 200;
    private static final int SEED_THREADS = 16;
    private static final Duration SEED_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);
    private static final OtpPolicy POLICY = OtpPolicy.parse("hotp:sha1:6");
    private static final int GOAL_RATE = 5_000;
    private static final double GOAL_SHARE = 0.5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERIFY_PATH = "/api/v1/otp/verify";

    /**
     * The benchmark's tokens, kept in the data directory so that the next run verifies the same ones
     * instead of importing more (every import adds rows the otp-service's lookups then go through):
     * their domain, serial numbers, a master key each token's key derives from, and the next counter
     * each will send.
     */
    static final class Tokens {
        final String domain;
        final String serialPrefix;
        final byte[] master;
        final AtomicLongArray next;
        final Secret[] keys = new Secret[CREDENTIALS];

        Tokens(String domain, String serialPrefix, byte[] master, AtomicLongArray next) {
            this.domain = domain;
            this.serialPrefix = serialPrefix;
            this.master = master;
            this.next = next;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(master, "HmacSHA256"));
                for (int i = 0; i < CREDENTIALS; i++) {
                    keys[i] = Secret.copyOf(Arrays.copyOf(mac.doFinal(("token-" + i).getBytes(StandardCharsets.US_ASCII)), 20));
                }
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static Tokens fresh(String run) {
            byte[] master = new byte[32];
            new SecureRandom().nextBytes(master);
            return new Tokens("bench-" + run + ".example", "B" + run + "-", master, new AtomicLongArray(CREDENTIALS));
        }

        String user(int i) {
            return "user-" + i;
        }

        String serial(int i) {
            return serialPrefix + i;
        }

        /** The code token i shows at counter {@code counter}. */
        String code(int i, long counter) {
            return Otp.at(POLICY, keys[i], counter);
        }

        /** The tokens an earlier run left, or null when there are none (or of another shape). */
        static Tokens load(Path file) {
            if (!Files.exists(file)) {
                return null;
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
                long[] next = Arrays.stream(p.getProperty("next", "").split(",")).mapToLong(Long::parseLong).toArray();
                if (next.length != CREDENTIALS || !POLICY.format().equals(p.getProperty("otp"))) {
                    return null;
                }
                return new Tokens(p.getProperty("domain"), p.getProperty("serials"), Base64.getDecoder().decode(p.getProperty("master")),
                        new AtomicLongArray(next));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        void save(Path file) throws IOException {
            Properties p = new Properties();
            p.setProperty("domain", domain);
            p.setProperty("serials", serialPrefix);
            p.setProperty("otp", POLICY.format());
            p.setProperty("master", Base64.getEncoder().encodeToString(master));
            StringBuilder counters = new StringBuilder();
            for (int i = 0; i < CREDENTIALS; i++) {
                counters.append(i == 0 ? "" : ",").append(next.get(i));
            }
            p.setProperty("next", counters.toString());
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            try (OutputStream out = Files.newOutputStream(partial)) {
                p.store(out, "./countersign bench otp: its HOTP tokens (development data), reused by the next run");
            }
            try {
                // It holds the tokens' keys, as keys/ holds the development keys: for this user only.
                Files.setPosixFilePermissions(partial, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system.
            }
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    record Reply(int status, String body) {
    }

    @Override
    public String name() {
        return "otp";
    }

    @Override
    public String description() {
        return "HOTP verifications/s at saturation and p50/p99 at half of it, beside pgbench doing the same writes";
    }

    @Override
    public Map<String, Object> run(Workspace workspace, Properties state) throws Exception {
        // Paced connections wait between requests; the JDK keeps only 5 idle ones per server unless told otherwise.
        System.setProperty("http.maxConnections", Integer.toString(CONNECTIONS * 2));
        String jdbc = workspace.env().getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:" + state.getProperty("postgres"));
        String dbUser = workspace.env().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres");
        String dbPassword = workspace.env().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "");
        // First, so that a missing pgbench stops the run before anything is seeded.
        PgBench pgbench = PgBench.locateOrInstall(workspace.env(), OtpBenchmark::progress);

        String registration = "http://127.0.0.1:" + state.getProperty("service.registration.port");
        int otpPort = Integer.parseInt(state.getProperty("service.otp.port"));
        String otp = "http://127.0.0.1:" + otpPort;
        DevKeys keys = DevKeys.in(workspace.keys());
        Path file = workspace.dataDir().resolve("bench").resolve("otp-tokens.properties");
        Map<String, Object> figures = new LinkedHashMap<>();

        // The tokens of the last run when they still verify; new ones otherwise.
        Tokens tokens = Tokens.load(file);
        String origin = null;
        if (tokens != null) {
            progress("pre-flight: each of the " + CREDENTIALS + " tokens of an earlier run (domain " + tokens.domain + ") verifies once...");
            int[] outcome = preflight(otp, verifyAuth(keys, tokens), tokens);
            tokens.save(file);
            if (outcome[2] == 0) {
                origin = "reused from an earlier run (" + outcome[1] + " resynchronised first)";
            } else {
                progress(outcome[2] + " tokens of the earlier run no longer verify: importing new ones");
                tokens = null;
            }
        }
        if (tokens == null) {
            byte[] runId = new byte[4];
            new SecureRandom().nextBytes(runId);
            tokens = Tokens.fresh(HexFormat.of().formatHex(runId));
            long start = System.nanoTime();
            seed(registration, otp, "Bearer " + DevTokens.mint(keys.privateKey(), "bench", tokens.domain,
                    List.of("registration", "admin"), Duration.ofHours(2)), tokens);
            tokens.save(file);
            origin = String.format(Locale.ROOT, "imported now (PSKC, users, assignments, until otp-service had all: %.1f s)",
                    (System.nanoTime() - start) / 1e9);
            progress("pre-flight: each token verifies its first code...");
            int[] outcome = preflight(otp, verifyAuth(keys, tokens), tokens);
            tokens.save(file);
            if (outcome[2] > 0) {
                throw new IllegalStateException(outcome[2] + " freshly imported tokens did not verify; see ./countersign logs otp");
            }
        }
        String verifying = verifyAuth(keys, tokens);
        String verifyUrl = otp + "/api/v1/otp/verify";
        figures.put("credentials", CREDENTIALS + " HOTP tokens (" + POLICY.format() + "), one per user of " + tokens.domain);
        figures.put("tokens", origin);
        figures.put("replay check (last accepted code again)", replayCheck(verifyUrl, verifying, tokens));
        figures.put("connections (HTTP) = clients (pgbench)", CONNECTIONS);
        figures.put("seconds measured, each", MEASURE.toSeconds());
        Map<String, List<Long>> groups = cpuGroups(workspace, state, List.of("otp"));

        ClosedLoop.Rate saturation;
        try {
            progress(String.format(Locale.ROOT, "saturation: %d connections, warm-up %d s and until otp-service's JIT compiler"
                    + " is quiet (at most %d s), %d s measured...", CONNECTIONS, WARM_UP.toSeconds(), WARM_UP_LIMIT.toSeconds(),
                    MEASURE.toSeconds()));
            CpuUse saturationCpu = new CpuUse(groups);
            PgStatements saturationDb = new PgStatements(jdbc, dbUser, dbPassword);
            JitWarmUp jit = new JitWarmUp(pid(state.getProperty("service.otp.pid")), WARM_UP, WARM_UP_LIMIT);
            try (Verifier load = new Verifier(otpPort, verifying, tokens)) {
                saturation = ClosedLoop.run(CONNECTIONS, jit, MEASURE, load,
                        ClosedLoop.Window.both(ClosedLoop.Window.both(saturationCpu, saturationDb), jit));
            }
            figures.put("saturation: warm-up", jit.warmUp());
            figures.put("saturation: otp-service JIT compiler, cores in the window", jit.duringWindow());
            if (saturation.done() == 0) {
                throw new IllegalStateException("No verification was accepted at saturation (" + saturation.errors()
                        + " were not); see ./countersign logs otp");
            }
            figures.put("saturation: verifications/s", Math.round(saturation.perSecond()));
            figures.put("saturation: not accepted", saturation.errors());
            figures.put("saturation: p50 / p99 ms (closed loop)", saturation.percentile(0.50) + " / " + saturation.percentile(0.99));
            figures.put("saturation: CPU, cores", saturationCpu.summary());
            figures.put("saturation: CPU ms per verification", saturationCpu.msPerOperation(saturation.perSecond(),
                    "otp-service", "PostgreSQL", "Kafka", "bench client"));
            figures.put("saturation: PostgreSQL per verification", saturationDb.perOperation(saturation.done()));
            saturationDb.topPerOperation(saturation.done(), 8).forEach(line -> progress("  per verification: " + line));
            figures.put("saturation: otp outbox backlog at the end", drain(jdbc, dbUser, dbPassword, List.of("otp")));
            tokens.save(file);

            double half = saturation.perSecond() / 2;
            progress(String.format(Locale.ROOT, "half load: %.0f verifications/s, %d s warm-up, %d s measured...", half,
                    PACED_WARM_UP.toSeconds(), MEASURE.toSeconds()));
            CpuUse halfCpu = new CpuUse(groups);
            PgStatements halfDb = new PgStatements(jdbc, dbUser, dbPassword);
            ClosedLoop.Rate paced;
            try (Verifier load = new Verifier(otpPort, verifying, tokens)) {
                paced = PacedLoop.run(CONNECTIONS, half, PACED_WARM_UP, MEASURE, load, ClosedLoop.Window.both(halfCpu, halfDb));
            }
            figures.put("half load: target verifications/s", Math.round(half));
            figures.put("half load: verifications/s done", Math.round(paced.perSecond()));
            figures.put("half load: not accepted", paced.errors());
            figures.put("half load: p50 ms", paced.percentile(0.50));
            figures.put("half load: p99 ms", paced.percentile(0.99));
            figures.put("half load: CPU, cores", halfCpu.summary());
            figures.put("half load: CPU ms per verification", halfCpu.msPerOperation(paced.perSecond(), "otp-service", "PostgreSQL"));
            figures.put("half load: PostgreSQL per verification", halfDb.perOperation(paced.done()));
            figures.put("half load: otp outbox backlog at the end", drain(jdbc, dbUser, dbPassword, List.of("otp")));
        } finally {
            tokens.save(file);
        }

        progress(String.format(Locale.ROOT, "limit: pgbench, %d clients, %d s warm-up, %d s measured...", CONNECTIONS,
                PGBENCH_WARM_UP_SECONDS, MEASURE.toSeconds()));
        CpuUse limitCpu = new CpuUse(groups);
        PgStatements limitDb = new PgStatements(jdbc, dbUser, dbPassword);
        PgBench.Result limit = limit(workspace, pgbench, jdbc, dbUser, dbPassword, ClosedLoop.Window.both(limitCpu, limitDb), figures);
        figures.put("pgbench: transactions/s (UPDATE + INSERT)", Math.round(limit.tps()));
        figures.put("pgbench: latency average ms", limit.latencyAverageMs());
        figures.put("pgbench: CPU, cores", limitCpu.summary());
        // pgbench runs as a child of this JVM, so its own CPU is the bench client's.
        figures.put("pgbench: CPU ms per transaction", limitCpu.msPerOperation(limit.tps(), "PostgreSQL", "bench client"));
        figures.put("pgbench: PostgreSQL per transaction", limitDb.perOperation(limit.transactions()));

        double share = saturation.perSecond() / limit.tps();
        figures.put("verifications / pgbench (goal >= 50 %)", String.format(Locale.ROOT, "%.0f %%", 100 * share));
        figures.put("goal: >= 5,000/s and >= 50 % of pgbench", (saturation.perSecond() >= GOAL_RATE ? "rate met" : "rate not met")
                + ", " + (share >= GOAL_SHARE ? "share met" : "share not met"));
        return figures;
    }

    private static String verifyAuth(DevKeys keys, Tokens tokens) {
        return "Bearer " + DevTokens.mint(keys.privateKey(), "bench", tokens.domain, List.of("otp"), Duration.ofHours(2));
    }

    // ---- seeding, through the public API -------------------------------------------------------

    /**
     * Imports the tokens as PSKC documents, creates their users and assigns each token to its user,
     * then waits until the otp-service lists every one as the user's active credential.
     */
    private static void seed(String registration, String otp, String auth, Tokens tokens) throws Exception {
        progress("seeding: " + CREDENTIALS + " HOTP tokens imported as PSKC through registration-service...");
        for (int from = 0; from < CREDENTIALS; from += PSKC_BATCH) {
            byte[] document = pskc(tokens, from, Math.min(CREDENTIALS, from + PSKC_BATCH));
            Reply reply = send("POST", registration + "/api/v1/licences/pskc", auth, "application/pskc+xml", document, 120_000);
            expect(reply, 201, "importing the PSKC document");
        }
        progress("seeding: " + CREDENTIALS + " users, each assigned a token...");
        parallel(i -> {
            String user = tokens.user(i);
            expect(send("PUT", registration + "/api/v1/users/" + user, auth, null, null, 30_000), 200, "creating " + user);
            byte[] body = ("{\"userId\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8);
            expect(send("PUT", registration + "/api/v1/licences/" + tokens.serial(i) + "/assignment", auth, "application/json", body,
                    30_000), 200, "assigning " + tokens.serial(i));
        });
        progress("seeding: waiting until otp-service has every token (admin API)...");
        long deadline = System.nanoTime() + SEED_TIMEOUT.toNanos();
        parallel(i -> {
            String url = otp + "/api/v1/otp/admin/users/" + tokens.user(i) + "/credentials";
            while (true) {
                Reply reply = send("GET", url, auth, null, null, 30_000);
                if (reply.status() == 200 && holds(reply.body(), tokens.serial(i))) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("otp-service did not have token " + tokens.serial(i) + " of " + tokens.user(i)
                            + " within " + SEED_TIMEOUT.toMinutes() + " min (last answer " + reply.status() + " " + reply.body()
                            + "); see ./countersign logs otp");
                }
                Thread.sleep(200);
            }
        });
    }

    /** RFC 6030 KeyPackages with plain secrets, counters at 0 and 6-digit decimal codes. */
    private static byte[] pskc(Tokens tokens, int from, int to) {
        StringBuilder xml = new StringBuilder(600 * (to - from))
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\">\n");
        for (int i = from; i < to; i++) {
            xml.append("  <KeyPackage>\n")
                    .append("    <DeviceInfo><Manufacturer>Countersign bench</Manufacturer><SerialNo>").append(tokens.serial(i))
                    .append("</SerialNo></DeviceInfo>\n")
                    .append("    <Key Id=\"").append(tokens.serial(i)).append("\" Algorithm=\"urn:ietf:params:xml:ns:keyprov:pskc:hotp\">\n")
                    .append("      <AlgorithmParameters><ResponseFormat Length=\"").append(POLICY.digits())
                    .append("\" Encoding=\"DECIMAL\"/></AlgorithmParameters>\n")
                    .append("      <Data><Secret><PlainValue>").append(Base64.getEncoder().encodeToString(tokens.keys[i].reveal()))
                    .append("</PlainValue></Secret><Counter><PlainValue>0</PlainValue></Counter></Data>\n")
                    .append("    </Key>\n")
                    .append("  </KeyPackage>\n");
        }
        return xml.append("</KeyContainer>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the admin API lists the token as an active HOTP credential of the user. */
    private static boolean holds(String body, String serial) throws IOException {
        for (JsonNode credential : JSON.readTree(body)) {
            if (serial.equals(credential.path("serialNumber").asText()) && "ACTIVE".equals(credential.path("status").asText())
                    && "HOTP".equals(credential.path("kind").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each token verifies its next code once. One that does not (a run that stopped half-way sent
     * codes it could not record) is resynchronised with two consecutive codes further on, as an
     * operator would; HOTP's resync window (1,000) covers that.
     *
     * @return accepted at once, resynchronised, failed
     */
    private static int[] preflight(String otp, String auth, Tokens tokens) throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger resynced = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        parallel(i -> {
            long counter = tokens.next.get(i);
            if ("accepted".equals(result(verify(otp + "/api/v1/otp/verify", auth, tokens.user(i), tokens.code(i, counter)).body()))) {
                tokens.next.set(i, counter + 1);
                accepted.incrementAndGet();
                return;
            }
            long first = counter + RESYNC_SKIP;
            byte[] body = ("{\"userId\":\"" + tokens.user(i) + "\",\"serialNumber\":\"" + tokens.serial(i) + "\",\"first\":\""
                    + tokens.code(i, first) + "\",\"second\":\"" + tokens.code(i, first + 1) + "\"}").getBytes(StandardCharsets.UTF_8);
            Reply reply = send("POST", otp + "/api/v1/otp/resync", auth, "application/json", body, 30_000);
            if (reply.status() == 200 && "accepted".equals(result(reply.body()))) {
                tokens.next.set(i, first + 2);
                resynced.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        });
        return new int[] {accepted.get(), resynced.get(), failed.get()};
    }

    /** The code token 0 had accepted last, sent again, must be refused. */
    private static String replayCheck(String url, String auth, Tokens tokens) throws IOException {
        String answer = result(verify(url, auth, tokens.user(0), tokens.code(0, tokens.next.get(0) - 1)).body());
        if (!"rejected".equals(answer)) {
            throw new IllegalStateException("The replay check failed: a code accepted before was answered " + answer);
        }
        return answer;
    }

    private static String result(String body) {
        try {
            return JSON.readTree(body).path("result").asText("?");
        } catch (IOException e) {
            return "? (" + body + ")";
        }
    }

    // ---- the load ---------------------------------------------------------------------------------

    /**
     * One verification with the next code of the next token of this thread, over this thread's own
     * keep-alive connection ({@link KeepAliveClient}). Each thread owns the tokens i with
     * i % CONNECTIONS == its slot, so no two requests ever race for one counter; a counter is spent
     * whatever the answer, and HOTP's look-ahead absorbs a lost one. Closing it closes the connections.
     */
    private static final class Verifier implements Callable<Boolean>, AutoCloseable {
        private final int port;
        private final String auth;
        private final Tokens tokens;
        private final AtomicInteger slots = new AtomicInteger();
        private final List<KeepAliveClient> clients = java.util.Collections.synchronizedList(new ArrayList<>());
        private final ThreadLocal<int[]> slot = ThreadLocal.withInitial(() -> new int[] {slots.getAndIncrement() % CONNECTIONS, 0});
        private final ThreadLocal<KeepAliveClient> client;

        Verifier(int port, String auth, Tokens tokens) {
            this.port = port;
            this.auth = auth;
            this.tokens = tokens;
            this.client = ThreadLocal.withInitial(() -> {
                KeepAliveClient c = new KeepAliveClient("127.0.0.1", this.port);
                clients.add(c);
                return c;
            });
        }

        @Override
        public Boolean call() throws IOException {
            int[] s = slot.get();
            int i = s[0] + CONNECTIONS * s[1];
            s[1] = (s[1] + 1) % (CREDENTIALS / CONNECTIONS);
            String code = tokens.code(i, tokens.next.getAndIncrement(i));
            KeepAliveClient.Reply reply = client.get().postJson(VERIFY_PATH, auth, verifyBody(tokens.user(i), code));
            return reply.status() == 200 && reply.body().contains("\"accepted\"");
        }

        @Override
        public void close() {
            synchronized (clients) {
                clients.forEach(KeepAliveClient::close);
            }
        }
    }

    private static byte[] verifyBody(String user, String code) {
        return ("{\"userId\":\"" + user + "\",\"credential\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static Reply verify(String url, String auth, String user, String code) throws IOException {
        return send("POST", url, auth, "application/json", verifyBody(user, code), 30_000);
    }

    /**
     * Waits until the services' relays have published what the load wrote, so that one phase's
     * events do not cost the next one CPU. Reads (never writes) the outbox tables of the schemas named.
     */
    static String drain(String jdbc, String user, String password, List<String> schemas) {
        String backlogQuery = "SELECT " + String.join(" + ", schemas.stream()
                .map(schema -> "(SELECT count(*) FROM " + schema + ".outbox_events WHERE published_at IS NULL)").toList());
        try (Connection connection = DriverManager.getConnection(jdbc, user, password); Statement s = connection.createStatement()) {
            long start = System.nanoTime();
            long first = -1;
            while (true) {
                long backlog;
                try (ResultSet rs = s.executeQuery(backlogQuery)) {
                    rs.next();
                    backlog = rs.getLong(1);
                }
                if (first < 0) {
                    first = backlog;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (backlog == 0) {
                    return String.format(Locale.ROOT, "%d events, published within %.1f s", first, seconds);
                }
                if (seconds > DRAIN_TIMEOUT.toSeconds()) {
                    return String.format(Locale.ROOT, "%d events, %d still unpublished after %.0f s", first, backlog, seconds);
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            return "n/a (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a (interrupted)";
        }
    }

    // ---- the limit: pgbench ---------------------------------------------------------------------

    /**
     * pgbench on a scratch schema of its own, with the otp-service's credentials table copied by
     * definition (LIKE ... INCLUDING ALL, so the same columns, constraints and indexes; none of its
     * rows) and libs/events' outbox table: per transaction, the conditional UPDATE that accepts a
     * code and the INSERT of an OtpVerified event, as the service writes them. Each client moves the
     * counters of rows only it uses; \gset makes a transaction whose UPDATE moved nothing an error.
     */
    private static PgBench.Result limit(Workspace workspace, PgBench pgbench, String jdbc, String user, String password,
                                        ClosedLoop.Window cpu, Map<String, Object> figures) throws Exception {
        byte[] runId = new byte[4];
        new SecureRandom().nextBytes(runId);
        String schema = "bench_otp_" + HexFormat.of().formatHex(runId);
        int rowsPerClient = CREDENTIALS / CONNECTIONS;
        Path script = Files.createTempFile("countersign-bench-otp-", ".sql");
        try (Connection admin = DriverManager.getConnection(jdbc, user, password); Statement s = admin.createStatement()) {
            String serverVersion;
            try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                serverVersion = rs.getString(1).replaceAll(" .*", "");
            }
            figures.put("pgbench: version, against", pgbench.version() + " (" + pgbench.binary() + "), PostgreSQL " + serverVersion);
            s.execute("CREATE SCHEMA " + schema);
            try {
                s.execute("SET search_path TO " + schema);
                s.execute(Files.readString(workspace.repo().resolve("libs/events/src/main/resources/db/events/R__countersign_events.sql")));
                s.execute("CREATE TABLE " + schema + ".credentials (LIKE otp.credentials INCLUDING ALL)");
                s.execute("INSERT INTO " + schema + ".credentials (id, domain, user_id, serial_number, otp_policy, status, created_at,"
                        + " kind, sealed_secret, last_accepted, drift, source, updated_at)"
                        + " SELECT CAST('00000000-0000-4000-8000-' || lpad(CAST(g AS text), 12, '0') AS uuid), 'bench.example', NULL,"
                        + " 'SN-' || g, '" + POLICY.format() + "', 'ACTIVE', now(), 'HOTP', repeat('A', 96), -1, 0, 'pskc', now()"
                        + " FROM generate_series(1, " + CREDENTIALS + ") g");
                s.execute("ANALYZE " + schema + ".credentials");
                Files.writeString(script, script(schema));
                PgBench.Target target = PgBench.Target.fromJdbc(jdbc, user, password);
                int threads = Math.min(CONNECTIONS, Runtime.getRuntime().availableProcessors());
                List<String> vars = List.of("rows=" + rowsPerClient);
                // Each run starts its counters above everything before it, so that every UPDATE moves one.
                pgbench.run(target, script, CONNECTIONS, threads, PGBENCH_WARM_UP_SECONDS, concat(vars, "n=1000000000"));
                s.execute("TRUNCATE " + schema + ".outbox_events");
                cpu.opened();
                PgBench.Result result = pgbench.run(target, script, CONNECTIONS, threads, (int) MEASURE.toSeconds(),
                        concat(vars, "n=2000000000"));
                cpu.closed();
                try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + schema + ".credentials"
                        + " WHERE last_accepted > 2000000000), (SELECT count(*) FROM " + schema + ".outbox_events)")) {
                    rs.next();
                    figures.put("pgbench: rows moved, events / transactions", rs.getLong(1) + " of " + CREDENTIALS + ", "
                            + rs.getLong(2) + " / " + result.transactions());
                }
                figures.put("pgbench: failed transactions", result.failed());
                return result;
            } finally {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** What one accepted verification writes, as VerificationService, CredentialRepository.advance and Outbox do. */
    static String script(String schema) {
        String payload = "'{\"userId\":\"user-' || :r || '\",\"domain\":\"bench.example\",\"serialNumber\":\"SN-' || :r"
                + " || '\",\"verifiedAt\":\"' || now() || '\"}'";
        return "\\set n :n + 1\n"
                + "\\set r :client_id * :rows + :n % :rows + 1\n"
                + "BEGIN;\n"
                + "UPDATE " + schema + ".credentials SET last_accepted = :n, drift = 0, updated_at = now(), last_used_at = now(),"
                + " fail_count = 0, lock_count = 0 WHERE id = CAST('00000000-0000-4000-8000-' || lpad(CAST(:r AS text), 12, '0') AS uuid)"
                + " AND last_accepted < :n AND status = 'ACTIVE' AND (locked_until IS NULL OR locked_until <= now())"
                + " RETURNING last_accepted AS accepted \\gset\n"
                + "INSERT INTO " + schema + ".outbox_events (event_id, topic, event_key, event_type, subject, data_schema, occurred_at,"
                + " payload) VALUES (gen_random_uuid(), '" + Topics.AUTHENTICATIONS + "', 'user-' || :r || '@bench.example', '"
                + OtpVerified.TYPE.ceType() + "', 'user/user-' || :r, '" + OtpVerified.TYPE.dataSchema() + "', now(), " + payload + ");\n"
                + "COMMIT;\n";
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /**
     * The processes whose CPU use is worth telling apart, each with its descendants: the services
     * named (as "NAME-service"), PostgreSQL, Kafka, Redis, the other services and the bench client.
     */
    static Map<String, List<Long>> cpuGroups(Workspace workspace, Properties state, List<String> apart) {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        for (String service : apart) {
            groups.put(service + "-service", CpuUse.alive(List.of(pid(state.getProperty("service." + service + ".pid")))));
        }
        Path postmaster = workspace.dataDir().resolve("postgres").resolve("data").resolve("postmaster.pid");
        try {
            groups.put("PostgreSQL", CpuUse.alive(List.of(Long.parseLong(Files.readAllLines(postmaster).get(0).trim()))));
        } catch (IOException | RuntimeException e) {
            // External PostgreSQL: not on this machine's books.
        }
        List<Long> kafka = new ArrayList<>();
        List<Long> redis = new ArrayList<>();
        for (String pid : state.getProperty("stack.pids", "").split(",")) {
            if (!pid.isBlank()) {
                boolean isRedis = ProcessHandle.of(Long.parseLong(pid.trim())).flatMap(p -> p.info().commandLine())
                        .map(c -> c.contains("redis")).orElse(false);
                (isRedis ? redis : kafka).add(Long.parseLong(pid.trim()));
            }
        }
        groups.put("Kafka", CpuUse.alive(kafka));
        groups.put("Redis", CpuUse.alive(redis));
        List<Long> others = new ArrayList<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            if (!apart.contains(spec.name())) {
                others.add(pid(state.getProperty("service." + spec.name() + ".pid")));
            }
        }
        groups.put("other services", CpuUse.alive(others));
        groups.put("bench client", List.of(ProcessHandle.current().pid()));
        return groups;
    }

    static Long pid(String value) {
        return value == null || value.isBlank() ? null : Long.parseLong(value.trim());
    }

    private interface Step {
        void run(int i) throws Exception;
    }

    /** Runs step(0 .. CREDENTIALS-1) on a few threads; the first failure fails all. */
    private static void parallel(Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SEED_THREADS);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < SEED_THREADS; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < CREDENTIALS; i = next.getAndIncrement()) {
                        step.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    next.set(CREDENTIALS);
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void expect(Reply reply, int status, String what) {
        if (reply.status() != status) {
            throw new IllegalStateException(what + " answered " + reply.status() + ": " + reply.body());
        }
    }

    /** One keep-alive request; HttpURLConnection reuses idle connections to the same server. */
    static Reply send(String method, String url, String auth, String contentType, byte[] body, int timeoutMillis)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(timeoutMillis);
        connection.setRequestProperty("Authorization", auth);
        if (body != null || !method.equals("GET")) {
            body = body == null ? new byte[0] : body;
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            if (contentType != null) {
                connection.setRequestProperty("Content-Type", contentType);
            }
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static final long STARTED = System.nanoTime();

    static void progress(String message) {
        System.err.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, message);
    }

    private static List<String> concat(List<String> list, String more) {
        List<String> all = new ArrayList<>(list);
        all.add(more);
        return all;
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
