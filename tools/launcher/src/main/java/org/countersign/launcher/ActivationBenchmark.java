package org.countersign.launcher;

import static org.countersign.launcher.BenchHttp.expect;
import static org.countersign.launcher.BenchHttp.send;
import static org.countersign.launcher.BenchSupport.pid;
import static org.countersign.launcher.BenchSupport.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.countersign.device.DeviceSimulator;
import org.countersign.device.DeviceTransport;
import org.countersign.device.EnrolmentOptions;
import org.countersign.device.ProfileStore;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;

/**
 * Whole offline activations per second (register, add device, activate: OneSpan's offline sequence
 * through the public APIs), or with {@code --online} whole online activations (register, enrol,
 * confirm: a phone's P-256 key, CSR and certificate), closed loop at saturation and paced at half of
 * it, with the p50/p99 of each step, CPU per activation of every part of the suite, PostgreSQL's
 * statements per activation, and, measured in the same run, the database's own limit for the rows one activation writes
 * ({@link SameWrites}: pgbench on copies of the tables the activations wrote). The devices are the
 * device simulator's library (tools/device), one per load thread, each with its profiles in memory (a
 * device's storage is the device's cost, not the suite's): no images, the activation messages are passed
 * as their texts.
 *
 * <p>Users and licences are created first, through the public API, and kept for later runs: a pool of
 * {@link #USERS} users, each with an MDL licence of {@link #PER_USER} activations and a policy that
 * lets a user hold that many authenticators. Activation k is user k mod {@link #USERS}'s, so that
 * concurrent activations are different users' (as in a roll-out), and a pool lasts
 * {@code USERS * PER_USER} activations before the next run makes another.
 */
final class ActivationBenchmark implements BenchCommand.Benchmark {

    static final int DEFAULT_DEVICES = 16;
    static final int USERS = 2048;
    /** The most a policy lets a user hold (PolicyRequest), and so a licence's activations here. */
    static final int PER_USER = 100;
    /** What one run may spend at most, beyond which a new pool is made first. */
    private static final int RUN_BUDGET = 60_000;
    private static final int LICENCE_BATCH = 400;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    // Three services and this client compile for two to three minutes of load on a fresh 2-core machine: a
    // window opened before that measures HotSpot's C2, not the code (runs 1 and 2 on a fresh suite, issue 20).
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(180);
    private static final Duration MEASURE = Duration.ofSeconds(10);
    private static final Duration PACED_WARM_UP = Duration.ofSeconds(3);
    private static final int PGBENCH_WARM_UP_SECONDS = 3;
    private static final int GOAL_RATE = 300;
    private static final double GOAL_SHARE = 0.5;
    private static final double GOAL_P99_MS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the devices do. Online, push-service takes each new device too (it keeps the user's
     * devices for push), so its CPU is counted apart.
     */
    enum Mode {
        OFFLINE("hardware-offline", "offline", List.of("register", "add device", "activate"),
                List.of("registration", "provisioning", "otp"), "activation-pool.properties", "BA", "bench-activation-"),
        ONLINE("mobile-app", "online", List.of("register", "enrol", "confirm"),
                List.of("registration", "provisioning", "otp", "push"), "activation-online-pool.properties", "BO", "bench-online-");

        final String authenticatorType;
        final String activationType;
        final List<String> steps;
        final List<String> services;
        final String poolFile;
        final String serialPrefix;
        final String domainPrefix;

        Mode(String authenticatorType, String activationType, List<String> steps, List<String> services, String poolFile,
             String serialPrefix, String domainPrefix) {
            this.authenticatorType = authenticatorType;
            this.activationType = activationType;
            this.steps = steps;
            this.services = services;
            this.poolFile = poolFile;
            this.serialPrefix = serialPrefix;
            this.domainPrefix = domainPrefix;
        }
    }

    private Mode mode = Mode.OFFLINE;

    private int devices = DEFAULT_DEVICES;
    /**
     * How long a device waits after register answers before it adds itself: the time a person takes to
     * scan the image. 0 (the default) adds at once, which no real device does, so nearly every add device
     * takes the fallback.
     */
    private int scanMillis;

    @Override
    public String name() {
        return "activation";
    }

    @Override
    public String description() {
        return "offline activations/s (register, add device, activate), or with --online a phone's (register, enrol,"
                + " confirm), at saturation, p50/p99 per step at half of it, beside pgbench writing the same rows";
    }

    @Override
    public void configure(List<String> options) {
        List<String> rest = new ArrayList<>(options);
        mode = rest.remove("--online") ? Mode.ONLINE : Mode.OFFLINE;
        devices = intOption(rest, "--devices", 1, 9999, "a number of simulated devices", devices);
        scanMillis = intOption(rest, "--scan-ms", 0, 60_000, "the milliseconds a device takes to scan activation message 1"
                + " or the enrolment code", scanMillis);
        if (!rest.isEmpty()) {
            throw new UsageException("bench activation takes [--json] [--online] [--devices N] [--scan-ms M], not " + rest);
        }
    }

    /** Takes {@code name value} out of {@code rest}, or answers {@code absent}. */
    private static int intOption(List<String> rest, String name, int min, int max, String what, int absent) {
        int at = rest.indexOf(name);
        if (at < 0) {
            return absent;
        }
        int value;
        try {
            value = Integer.parseInt(at + 1 < rest.size() ? rest.get(at + 1) : "");
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min || value > max) {
            throw new UsageException(name + " takes " + what + ", " + min + " to " + max);
        }
        rest.subList(at, at + 2).clear();
        return value;
    }

    /** The pool of users and licences, kept in the data directory for the next run. */
    record Pool(String domain, String serialPrefix, AtomicLong next, AtomicLong completed) {

        String user(long k) {
            return "device-user-" + (k % USERS);
        }

        String serial(long k) {
            return serialPrefix + (k % USERS);
        }

        boolean hasRoomFor(long activations) {
            return next.get() + activations <= (long) USERS * PER_USER;
        }

        static Pool load(Path file) {
            return BenchSupport.readKept(file, p -> Integer.parseInt(p.getProperty("users")) != USERS ? null
                    : new Pool(p.getProperty("domain"), p.getProperty("serials"), new AtomicLong(Long.parseLong(p.getProperty("next"))),
                            new AtomicLong(Long.parseLong(p.getProperty("completed")))));
        }

        void save(Path file) throws IOException {
            Properties p = new Properties();
            p.setProperty("domain", domain);
            p.setProperty("serials", serialPrefix);
            p.setProperty("users", Integer.toString(USERS));
            p.setProperty("next", Long.toString(next.get()));
            p.setProperty("completed", Long.toString(completed.get()));
            BenchSupport.keep(file, p, "./countersign bench activation: its users and licences (development data), reused by the next run");
        }
    }

    @Override
    public Map<String, Object> run(Workspace workspace, Properties state) throws Exception {
        String jdbc = workspace.env().getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:" + state.getProperty("postgres"));
        String dbUser = workspace.env().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres");
        String dbPassword = workspace.env().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "");
        PgBench pgbench = PgBench.locateOrInstall(workspace.env(), BenchSupport::progress);
        int registrationPort = Integer.parseInt(state.getProperty("service.registration.port"));
        int provisioningPort = Integer.parseInt(state.getProperty("service.provisioning.port"));
        int registrationManagementPort = Integer.parseInt(state.getProperty("service.registration.management-port"));
        Map<String, Integer> managementPorts = new LinkedHashMap<>();
        mode.services.forEach(s -> managementPorts.put(s + "-service", Integer.parseInt(state.getProperty("service." + s + ".management-port"))));
        String registration = "http://127.0.0.1:" + registrationPort;
        DevKeys keys = DevKeys.in(workspace.keys());
        Path file = workspace.dataDir().resolve("bench").resolve(mode.poolFile);
        Map<String, Object> figures = new LinkedHashMap<>();

        Pool pool = Pool.load(file);
        String origin;
        if (pool != null && pool.hasRoomFor(RUN_BUDGET)) {
            origin = "reused from an earlier run (" + pool.next().get() + " of " + (long) USERS * PER_USER + " activations spent)";
        } else {
            byte[] runId = new byte[4];
            new SecureRandom().nextBytes(runId);
            String run = HexFormat.of().formatHex(runId);
            pool = new Pool(mode.domainPrefix + run + ".example", mode.serialPrefix + run + "-", new AtomicLong(), new AtomicLong());
            long start = System.nanoTime();
            seed(registration, auth(keys, pool, List.of("registration")), pool, mode);
            pool.save(file);
            origin = String.format(Locale.ROOT, "made now (%d users, %d licences, a policy: %.1f s)", USERS, USERS,
                    (System.nanoTime() - start) / 1e9);
        }
        String auth = auth(keys, pool, List.of("registration", "provisioning"));
        figures.put("activations", mode == Mode.ONLINE ? "online: register, then the simulated phone enrols (P-256 key, CSR"
                + " and proof, without the caller's token) and confirms with its key's signature" : "offline: register, add device,"
                + " activate");
        figures.put("devices (closed loop) = clients (pgbench)", devices);
        figures.put("users and licences", USERS + " users of " + pool.domain() + ", each with an MDL licence of " + PER_USER
                + " activations; " + origin);
        figures.put("seconds measured, each", MEASURE.toSeconds());
        // Its CPU is counted with the suite's: read its figures with how its JVM ran (./countersign runs it C1-only).
        figures.put("bench client JVM options", String.join(" ",
                ManagementFactory.getRuntimeMXBean().getInputArguments()));
        figures.put("scan time: a device adds itself after register answered, ms", scanMillis);
        Map<String, List<Long>> groups = BenchSupport.cpuGroups(workspace, state, mode.services);
        List<String> parts = new ArrayList<>(mode.services.stream().map(s -> s + "-service").toList());
        parts.addAll(List.of("PostgreSQL", "Kafka", "Redis", "bench client"));
        String[] cpuNames = parts.toArray(String[]::new);
        List<String> schemas = mode.services;

        ClosedLoop.Rate saturation;
        PgStatements saturationDb;
        try {
            progress(String.format(Locale.ROOT, "saturation: %d devices, warm-up %d s and until the JIT compilers of the services and"
                    + " of this client are quiet (at most %d s), %d s measured...", devices, WARM_UP.toSeconds(), WARM_UP_LIMIT.toSeconds(),
                    MEASURE.toSeconds()));
            CpuUse saturationCpu = new CpuUse(groups);
            saturationDb = new PgStatements(jdbc, dbUser, dbPassword);
            List<Long> pids = new ArrayList<>();
            mode.services.forEach(s -> pids.add(pid(state.getProperty("service." + s + ".pid"))));
            pids.removeIf(java.util.Objects::isNull);
            // This client too: a new JVM each run, it shares the two cores, and cold it took twice the CPU per
            // activation of a warm one, which the rate then showed as the suite's.
            pids.add(ProcessHandle.current().pid());
            JitWarmUp jit = new JitWarmUp(pids, WARM_UP, WARM_UP_LIMIT);
            Steps steps = new Steps(mode.steps);
            FallbackCalls fallbacks = new FallbackCalls(registrationManagementPort);
            GcPauses gc = new GcPauses(managementPorts);
            try (Devices load = new Devices(mode, registrationPort, provisioningPort, auth, pool, scanMillis, steps)) {
                saturation = ClosedLoop.run(devices, jit, MEASURE, load, ClosedLoop.Window.all(saturationCpu, saturationDb, jit, steps,
                        fallbacks, gc));
                figures.put("saturation: warm-up", jit.warmUp());
                figures.put("saturation: JIT compilers of the services and this client, cores in the window", jit.duringWindow());
                figures.put("saturation: GC pauses of the services in the window", gc.summary());
                if (saturation.done() == 0) {
                    throw new IllegalStateException("No activation finished at saturation (" + saturation.errors() + " failed; first: "
                            + load.firstFailure() + "); see ./countersign logs registration and provisioning");
                }
                figures.put("saturation: activations/s", round1(saturation.perSecond()));
                figures.put("saturation: failed", saturation.errors() + (saturation.errors() > 0 ? " (first: " + load.firstFailure() + ")" : ""));
                figures.put("saturation: p50 / p99 ms, whole activation", saturation.percentile(0.50) + " / " + saturation.percentile(0.99));
                steps.report("saturation", figures);
                if (mode == Mode.OFFLINE) {
                    figures.put("saturation: add devices that asked registration-service (fallback)",
                            fallbacks.describe(steps.count("add device")));
                }
            }
            figures.put("saturation: CPU, cores", saturationCpu.summary());
            figures.put("saturation: CPU ms per activation", saturationCpu.msPerOperation(saturation.perSecond(), cpuNames));
            figures.put("saturation: PostgreSQL per activation", saturationDb.perOperation(saturation.done()));
            saturationDb.topPerOperation(saturation.done(), 12).forEach(line -> progress("  per activation: " + line));
            figures.put("saturation: outbox backlog at the end", BenchSupport.drain(jdbc, dbUser, dbPassword, schemas));
            pool.save(file);

            double half = saturation.perSecond() / 2;
            progress(String.format(Locale.ROOT, "half load: %.0f activations/s, %d s warm-up, %d s measured...", half,
                    PACED_WARM_UP.toSeconds(), MEASURE.toSeconds()));
            CpuUse halfCpu = new CpuUse(groups);
            PgStatements halfDb = new PgStatements(jdbc, dbUser, dbPassword);
            Steps halfSteps = new Steps(mode.steps);
            FallbackCalls halfFallbacks = new FallbackCalls(registrationManagementPort);
            // What a p99 beyond the goal can come from while the p50 stays put: the compilers and the collectors.
            JitWarmUp halfJit = new JitWarmUp(pids, Duration.ZERO, Duration.ZERO);
            GcPauses halfGc = new GcPauses(managementPorts);
            ClosedLoop.Rate paced;
            // Twice the devices, so that one slow activation does not hold back the ones due after it on its thread.
            try (Devices load = new Devices(mode, registrationPort, provisioningPort, auth, pool, scanMillis, halfSteps)) {
                paced = PacedLoop.run(devices * 2, half, PACED_WARM_UP, MEASURE, load, ClosedLoop.Window.all(halfCpu, halfDb, halfSteps,
                        halfFallbacks, halfJit, halfGc));
                figures.put("half load: target activations/s", round1(half));
                figures.put("half load: activations/s done", round1(paced.perSecond()));
                figures.put("half load: failed", paced.errors() + (paced.errors() > 0 ? " (first: " + load.firstFailure() + ")" : ""));
                figures.put("half load: p50 / p99 ms, whole activation (from when it was due)", paced.percentile(0.50) + " / "
                        + paced.percentile(0.99));
                halfSteps.report("half load", figures);
                if (mode == Mode.OFFLINE) {
                    figures.put("half load: add devices that asked registration-service (fallback)",
                            halfFallbacks.describe(halfSteps.count("add device")));
                }
            }
            figures.put("half load: JIT compilers of the services and this client, cores in the window", halfJit.duringWindow());
            figures.put("half load: GC pauses of the services in the window", halfGc.summary());
            figures.put("half load: CPU, cores", halfCpu.summary());
            figures.put("half load: CPU ms per activation", halfCpu.msPerOperation(paced.perSecond(), cpuNames));
            figures.put("half load: PostgreSQL per activation", halfDb.perOperation(paced.done()));
            figures.put("half load: outbox backlog at the end", BenchSupport.drain(jdbc, dbUser, dbPassword, schemas));
            figures.put("licence books after the run", books(jdbc, dbUser, dbPassword, pool));
            double worstP99 = mode.steps.stream().mapToDouble(halfSteps::p99).max().orElse(Double.NaN);
            figures.put("half load: worst step p99 ms (goal <= 50)", worstP99);

            List<SameWrites.TableShare> shares = SameWrites.perOperation(saturationDb.tableWrites(), saturation.done());
            figures.put("rows one activation writes (inserted+updated, all writers)", SameWrites.describe(shares));
            progress(String.format(Locale.ROOT, "limit: pgbench writing those rows, %d clients, %d s warm-up, %d s measured...",
                    devices, PGBENCH_WARM_UP_SECONDS, MEASURE.toSeconds()));
            CpuUse limitCpu = new CpuUse(groups);
            PgStatements limitDb = new PgStatements(jdbc, dbUser, dbPassword);
            SameWrites.Result limit = SameWrites.measure(pgbench, jdbc, dbUser, dbPassword, shares, devices,
                    PGBENCH_WARM_UP_SECONDS, (int) MEASURE.toSeconds(), ClosedLoop.Window.all(limitCpu, limitDb));
            figures.put("pgbench: version", pgbench.version() + " (" + pgbench.binary() + ")");
            figures.put("pgbench: activations' rows/s (script runs/s)", round1(limit.pgbench().tps()));
            figures.put("pgbench: failed transactions", limit.pgbench().failed());
            figures.put("pgbench: CPU, cores", limitCpu.summary());
            figures.put("pgbench: CPU ms per script run", limitCpu.msPerOperation(limit.pgbench().tps(), "PostgreSQL", "bench client"));
            figures.put("pgbench: PostgreSQL per script run", limitDb.perOperation(limit.pgbench().transactions()));
            progress("pgbench's script:\n" + limit.script());

            double share = saturation.perSecond() / limit.pgbench().tps();
            figures.put("activations / pgbench (goal >= 50 %)", String.format(Locale.ROOT, "%.0f %%", 100 * share));
            figures.put("goal: >= 300/s or >= 50 % of pgbench, p99 <= 50 ms per step at half load",
                    (saturation.perSecond() >= GOAL_RATE ? "rate met" : "rate not met") + ", "
                            + (share >= GOAL_SHARE ? "share met" : "share not met") + ", "
                            + (worstP99 <= GOAL_P99_MS ? "p99 met" : "p99 not met"));
            return figures;
        } finally {
            pool.save(file);
        }
    }

    private static String auth(DevKeys keys, Pool pool, List<String> scopes) {
        return "Bearer " + DevTokens.mint(keys.privateKey(), "bench", pool.domain(), scopes, Duration.ofHours(2));
    }

    // ---- the pool, through the public API ---------------------------------------------------------

    private static void seed(String registration, String auth, Pool pool, Mode mode) throws Exception {
        String type = mode.authenticatorType;
        progress("seeding: a policy of " + PER_USER + " " + type + " authenticators per user, " + USERS + " licences, " + USERS
                + " users...");
        byte[] policy = ("{\"maxAuthenticatorsPerUser\":" + PER_USER + ",\"registrationLifetime\":\"PT1H\",\"activationTypes\":"
                + "[\"" + mode.activationType + "\"]}").getBytes(StandardCharsets.UTF_8);
        expect(send("PUT", registration + "/api/v1/policies/" + type, auth, "application/json", policy, 30_000), 200, "the policy");
        for (int from = 0; from < USERS; from += LICENCE_BATCH) {
            StringBuilder body = new StringBuilder("{\"licences\":[");
            for (int i = from; i < Math.min(USERS, from + LICENCE_BATCH); i++) {
                body.append(i == from ? "" : ",").append("{\"serialNumber\":\"").append(pool.serial(i))
                        .append("\",\"authenticatorType\":\"").append(type).append("\",\"licenceModel\":\"MDL\",\"maxActivations\":")
                        .append(PER_USER).append('}');
            }
            expect(send("POST", registration + "/api/v1/licences", auth, "application/json",
                    body.append("]}").toString().getBytes(StandardCharsets.UTF_8), 120_000), 201, "creating licences");
        }
        ExecutorService pool16 = Executors.newFixedThreadPool(16);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                futures.add(pool16.submit(() -> {
                    for (int i = next.getAndIncrement(); i < USERS; i = next.getAndIncrement()) {
                        expect(send("PUT", registration + "/api/v1/users/" + pool.user(i), auth, null, null, 30_000), 200,
                                "creating " + pool.user(i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool16.shutdownNow();
        }
    }

    /** The licences' books, read from registration-service's tables, against the activations this pool completed. */
    private static String books(String jdbc, String user, String password, Pool pool) {
        try (Connection c = DriverManager.getConnection(jdbc, user, password);
             PreparedStatement p = c.prepareStatement("SELECT coalesce(sum(activations_used), 0), coalesce(sum(activations_reserved), 0)"
                     + " FROM registration.licences WHERE domain = ?")) {
            p.setString(1, pool.domain());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    long used = rs.getLong(1);
                    if (used == pool.completed().get() || System.nanoTime() > deadline) {
                        return String.format(Locale.ROOT, "%d used, %d reserved; the bench completed %d (%s)", used, rs.getLong(2),
                                pool.completed().get(), used == pool.completed().get() ? "exact" : "NOT EXACT");
                    }
                }
                Thread.sleep(200);
            }
        } catch (SQLException e) {
            return "n/a (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a (interrupted)";
        }
    }

    // ---- the load ---------------------------------------------------------------------------------

    /** Latencies of each step's request, recorded only while the window is open. */
    static final class Steps implements ClosedLoop.Window {
        private final List<String> names;
        private final Map<String, List<Double>> latencies = new ConcurrentHashMap<>();
        private volatile boolean open;

        Steps(List<String> names) {
            this.names = names;
            names.forEach(s -> latencies.put(s, Collections.synchronizedList(new ArrayList<>())));
        }

        @Override
        public void opened() {
            open = true;
        }

        @Override
        public void closed() {
            open = false;
        }

        void record(String step, long startNanos) {
            if (open) {
                latencies.get(step).add((System.nanoTime() - startNanos) / 1e6);
            }
        }

        double percentile(String step, double p) {
            double[] sorted;
            synchronized (latencies.get(step)) {
                sorted = latencies.get(step).stream().mapToDouble(Double::doubleValue).toArray();
            }
            if (sorted.length == 0) {
                return Double.NaN;
            }
            Arrays.sort(sorted);
            return Math.round(sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 100) / 100.0;
        }

        int count(String step) {
            return latencies.get(step).size();
        }

        double p99(String step) {
            return percentile(step, 0.99);
        }

        void report(String phase, Map<String, Object> figures) {
            for (String step : names) {
                figures.put(phase + ": p50 / p99 ms, " + step, percentile(step, 0.50) + " / " + percentile(step, 0.99));
            }
        }
    }

    /**
     * One whole activation by this thread's simulated device, over this thread's own keep-alive
     * connections to registration-service and provisioning-service (online, the phone's calls go to the
     * URL its enrolment code names, through {@link PhoneTransport}). The device keeps its
     * profile in memory ({@link ProfileStore#inMemory()}: the profile file's locking, sealing and writing
     * were 70 % of this client's CPU samples, on the two cores the suite is measured on) and forgets it
     * after each activation, so that the next one scans into an empty device.
     */
    private static final class Devices implements Callable<Boolean>, AutoCloseable {
        private static final String PROFILE = "bench";
        private static final EnrolmentOptions PHONE = new EnrolmentOptions("android", null, "bench phone", false);
        private final Mode mode;
        private final int registrationPort;
        private final int provisioningPort;
        private final String auth;
        private final Pool pool;
        private final int scanMillis;
        private final Steps steps;
        private final List<KeepAliveClient> clients = Collections.synchronizedList(new ArrayList<>());
        private final ThreadLocal<Device> device = ThreadLocal.withInitial(this::newDevice);
        private volatile String firstFailure;

        private record Device(DeviceSimulator simulator, KeepAliveClient registration, KeepAliveClient provisioning) {
        }

        Devices(Mode mode, int registrationPort, int provisioningPort, String auth, Pool pool, int scanMillis, Steps steps) {
            this.mode = mode;
            this.registrationPort = registrationPort;
            this.provisioningPort = provisioningPort;
            this.auth = auth;
            this.pool = pool;
            this.scanMillis = scanMillis;
            this.steps = steps;
        }

        private Device newDevice() {
            KeepAliveClient r = new KeepAliveClient("127.0.0.1", registrationPort);
            KeepAliveClient p = new KeepAliveClient("127.0.0.1", provisioningPort);
            clients.add(r);
            clients.add(p);
            return new Device(new DeviceSimulator(ProfileStore.inMemory(), Clock.systemUTC(), new PhoneTransport()), r, p);
        }

        /** A phone's calls over this thread's keep-alive connections, the enrolment's and the confirmation's latency recorded. */
        private final class PhoneTransport implements DeviceTransport {
            private final Map<String, KeepAliveClient> connections = new HashMap<>();

            @Override
            public Answer exchange(URI uri, String bearerToken, byte[] jsonBody, int maxBytes) throws IOException {
                int port = uri.getPort() < 0 ? 80 : uri.getPort();
                KeepAliveClient connection = connections.computeIfAbsent(uri.getHost() + ":" + port, key -> {
                    KeepAliveClient opened = new KeepAliveClient(uri.getHost(), port);
                    clients.add(opened);
                    return opened;
                });
                long start = System.nanoTime();
                KeepAliveClient.Reply reply = connection.send(uri.getRawPath(), bearerToken == null ? null : "Bearer " + bearerToken,
                        jsonBody);
                if (jsonBody != null) {
                    steps.record(uri.getPath().endsWith("/confirm") ? "confirm" : "enrol", start);
                }
                return new Answer(reply.status(), reply.body().getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public Boolean call() throws IOException {
            Device d = device.get();
            long k = pool.next().getAndIncrement();
            try {
                long start = System.nanoTime();
                KeepAliveClient.Reply registered = d.registration().postJson("/api/v1/users/register", auth,
                        ("{\"userId\":\"" + pool.user(k) + "\",\"serialNumber\":\"" + pool.serial(k)
                                + "\",\"activationType\":\"" + mode.activationType + "\"}").getBytes(StandardCharsets.UTF_8));
                steps.record("register", start);
                JsonNode registration = answer(registered, 201, "register");
                if (mode == Mode.ONLINE) {
                    if (scanMillis > 0) {
                        Thread.sleep(scanMillis);
                    }
                    d.simulator().enroll(registration.get("activationMessage").asText(), PROFILE, PHONE);
                    pool.completed().incrementAndGet();
                    return true;
                }
                String rid = registration.get("registrationId").asText();
                String deviceCode = d.simulator().scanActivation(registration.get("activationMessage").asText(), PROFILE);
                if (scanMillis > 0) {
                    Thread.sleep(scanMillis);
                }

                start = System.nanoTime();
                KeepAliveClient.Reply added = d.provisioning().postJson("/api/v1/registrations/" + rid + "/device", auth,
                        ("{\"deviceCode\":\"" + deviceCode + "\"}").getBytes(StandardCharsets.UTF_8));
                steps.record("add device", start);
                String signature = d.simulator().completeActivation(answer(added, 200, "add device").get("activationMessage2").asText(),
                        PROFILE);

                start = System.nanoTime();
                KeepAliveClient.Reply activated = d.provisioning().postJson("/api/v1/registrations/" + rid + "/activate", auth,
                        ("{\"deviceCode\":\"" + deviceCode + "\",\"signature\":\"" + signature + "\"}").getBytes(StandardCharsets.UTF_8));
                steps.record("activate", start);
                answer(activated, 200, "activate");
                pool.completed().incrementAndGet();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (IOException | RuntimeException e) {
                if (firstFailure == null) {
                    firstFailure = e.getMessage();
                }
                return false;
            } finally {
                d.simulator().remove(PROFILE);
            }
        }

        private static JsonNode answer(KeepAliveClient.Reply reply, int status, String step) throws IOException {
            if (reply.status() != status) {
                throw new IOException(step + " answered " + reply.status() + ": " + reply.body());
            }
            return JSON.readTree(reply.body());
        }

        String firstFailure() {
            return firstFailure;
        }

        @Override
        public void close() {
            synchronized (clients) {
                clients.forEach(KeepAliveClient::close);
            }
        }
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
