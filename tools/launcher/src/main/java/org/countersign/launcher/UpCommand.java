package org.countersign.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.countersign.secrets.Keyring;
import org.countersign.stack.DevCertificateAuthority;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;
import org.countersign.stack.EmbeddedStack;
import org.countersign.stack.ExternalEndpoints;
import org.countersign.stack.Ports;
import org.countersign.stack.StackConfig;
import org.countersign.stack.StackException;
import org.countersign.stack.Watchdog;

/** Starts the stack, the five services and the portal, reports when they are ready, and stops all on exit. */
final class UpCommand {

    static final String DATABASE = "countersign";
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofMinutes(3);
    private static final int MAX_RESTARTS = 5;
    private static final String CA_KEY_ENV = "COUNTERSIGN_PROVISIONING_CA_KEY";

    private final Workspace workspace;
    private final long startedAt = System.nanoTime();
    private final Map<ServiceSpec, Process> services = new LinkedHashMap<>();
    private final Map<ServiceSpec, Integer> managementPorts = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Watchdog> watchdogs = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private volatile EmbeddedStack stack;
    private volatile boolean stopping;
    private Map<ServiceSpec, Integer> ports;
    private StackConfig config;
    private DevKeys keys;

    UpCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    int run(List<String> args) throws StackException {
        if (!args.isEmpty()) {
            throw new UsageException("'up' takes no arguments here; ./countersign up --detach runs it in the background.");
        }
        workspace.runningLauncher().ifPresent(pid -> {
            throw new StackException("Countersign already runs (pid " + pid.pid() + ") with data in "
                    + workspace.dataDir() + ". See ./countersign status, or stop it with ./countersign down.");
        });
        ports = servicePorts();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            if (!Files.exists(spec.jar(workspace.repo()))) {
                throw new StackException(spec.jar(workspace.repo()) + " is missing: build with 'mvn -DskipTests package'"
                        + " (./countersign up does it for you).");
            }
            Ports.requireFree(ports.get(spec), spec.module(), spec.portVariable());
        }
        try {
            Files.createDirectories(workspace.pidFile().getParent());
            Files.writeString(workspace.pidFile(), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new StackException("Cannot write to " + workspace.dataDir() + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "countersign-down"));

        config = workspace.stackConfig();
        progress("Starting " + describe(config) + " (data in " + workspace.dataDir() + ")");
        long stackStart = System.nanoTime();
        stack = EmbeddedStack.start(config);
        if (config.startPostgres()) {
            stack.createDatabase(DATABASE);
        }
        double stackSeconds = seconds(stackStart);
        progress("Infrastructure ready in " + format(stackSeconds) + " s");

        keys = DevKeys.in(workspace.keys());
        long servicesStart = System.nanoTime();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            services.put(spec, startService(spec, ports.get(spec), config, keys));
        }
        progress("Started " + services.size() + " services; waiting until each is ready");
        Map<ServiceSpec, Double> readyAfter = awaitServices(ports);
        double servicesSeconds = seconds(servicesStart);

        Properties state = new Properties();
        state.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        state.setProperty("ready", "true");
        state.setProperty("kafka", config.startKafka() ? stack.kafkaBootstrapServers() : workspace.env().get(ExternalEndpoints.KAFKA_ENV));
        state.setProperty("redis", config.startRedis() ? stack.redisUri() : workspace.env().get(ExternalEndpoints.REDIS_ENV));
        state.setProperty("postgres", config.startPostgres() ? stack.postgresReactiveUrl(DATABASE)
                : workspace.env().getOrDefault(ExternalEndpoints.POSTGRES_REACTIVE_ENV, workspace.env().get(ExternalEndpoints.POSTGRES_JDBC_ENV)));
        state.setProperty("stack.pids", join(stack.pids()));
        state.setProperty("started.seconds", format(seconds(startedAt)));
        services.forEach((spec, process) -> {
            state.setProperty("service." + spec.name() + ".port", Integer.toString(ports.get(spec)));
            state.setProperty("service." + spec.name() + ".management-port", Integer.toString(managementPorts.get(spec)));
            state.setProperty("service." + spec.name() + ".pid", Long.toString(process.pid()));
            state.setProperty("service." + spec.name() + ".ready.seconds", format(readyAfter.get(spec)));
        });
        try {
            workspace.writeState(state);
        } catch (IOException e) {
            throw new StackException("Cannot write " + workspace.stateFile() + ": " + e.getMessage(), e);
        }
        printSummary(ports, readyAfter, stackSeconds, servicesSeconds, keys, state);
        watchServices(state);
        return 0;
    }

    private Map<ServiceSpec, Integer> servicePorts() {
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            String value = workspace.env().get(spec.portVariable());
            try {
                ports.put(spec, value == null || value.isBlank() ? spec.defaultPort() : Integer.parseInt(value.trim()));
            } catch (NumberFormatException e) {
                throw new StackException(spec.portVariable() + " must be a port number, not '" + value + "'");
            }
        }
        return ports;
    }

    /**
     * The provisioning-service's device CA for local runs, generated once into the data directory, its
     * key sealed under the provisioning-service's development at-rest key, as its AtRestSealer opens it.
     * Only with the development keys: whoever sets their own sealing keys sets their own CA too.
     */
    private Map<String, String> deviceCa(DevKeys keys) {
        DevCertificateAuthority ca = DevCertificateAuthority.in(workspace.keys());
        return Map.of(CA_KEY_ENV, ca.sealedPrivateKey(Keyring.parse(keys.atRestKeys("provisioning"), DevKeys.keyId("provisioning"))),
                "COUNTERSIGN_PROVISIONING_CA_CERTIFICATE", ca.certificatePem());
    }

    /**
     * A service's development sealing keys as environment variables (libs/stack DevKeys, in the data
     * directory): its own at-rest key, its private key if it receives sealed values, and the public keys
     * of the services it may seal for. Each service gets keys no other one has.
     */
    static Map<String, String> sealingEnvironment(DevKeys keys, String service) {
        Map<String, String> env = new LinkedHashMap<>();
        keys.sealingConfiguration(service).forEach((property, value) ->
                env.put(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        return env;
    }

    /**
     * The service's port plus 1000 when it is free and none of the suite's own: a check that it is free
     * can pass for a port the embedded PostgreSQL or a service not started yet will take (seen once in CI:
     * the portal's management port was PostgreSQL's).
     */
    private synchronized int managementPortOf(ServiceSpec spec, int port) {
        Integer kept = managementPorts.get(spec);
        if (kept != null) {
            return kept;
        }
        int preferred = port + 1000;
        Set<Integer> suites = new HashSet<>(ports.values());
        suites.addAll(List.of(config.kafkaPort(), config.kafkaControllerPort(), config.postgresPort(), config.redisPort()));
        managementPorts.values().forEach(suites::add);
        int chosen = Ports.preferredOrFree(preferred);
        while (suites.contains(chosen)) {
            chosen = Ports.free();
        }
        managementPorts.put(spec, chosen);
        return chosen;
    }

    private static int eventLoopsPerService() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    private int portOf(String service) {
        return ports.get(ServiceSpec.ALL.stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow());
    }

    private Process startService(ServiceSpec spec, int port, StackConfig config, DevKeys keys) {
        Path log = workspace.logs().resolve(spec.name() + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        // The whole heap from the start, 224 MB of it young: grown from 64 MB under load, the old generation's
        // full collections (about 130 ms each) were most of the OTP check's p99 at half load; and with an 85 MB
        // young generation, its collections (15-35 ms each on a full 2-core machine) came every few seconds
        // and were the activation steps' p99 (docs/performance.md).
        command.addAll(List.of(workspace.env().getOrDefault("COUNTERSIGN_JAVA_OPTS",
                "-Xms384m -Xmx384m -Xmn224m -XX:+UseSerialGC").trim().split("\\s+")));
        command.addAll(List.of("-jar", spec.jar(workspace.repo()).toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workspace.repo().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // The jars run their production profile, which hides these from a public gateway (deploy/); on a
        // developer's machine the Swagger UI is wanted, and metrics sit beside the service's own port.
        env.putIfAbsent("QUARKUS_SWAGGER_UI_ENABLED", "true");
        // The service's port plus 1000 (9081 for 8081) when free; kept across restarts of the service.
        int management = managementPortOf(spec, port);
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        env.put("COUNTERSIGN_DATA_DIR", workspace.dataDir().toString());
        // Quarkus gives a service two event loops per core, as if it had the machine to itself; here six JVMs,
        // PostgreSQL and Kafka share its cores, and with one loop per two cores each service spent less CPU per
        // request (docs/performance.md, change 16). A Kubernetes pod has its own cores and keeps the default.
        env.putIfAbsent("QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE", Integer.toString(eventLoopsPerService()));
        if (spec.isPortal()) {
            portalEnvironment(env);
        } else {
            serviceEnvironment(env, keys, spec.name());
        }
        if (config.startKafka()) {
            env.put(ExternalEndpoints.KAFKA_ENV, stack.kafkaBootstrapServers());
        }
        if (config.startPostgres()) {
            env.put(ExternalEndpoints.POSTGRES_REACTIVE_ENV, stack.postgresReactiveUrl(DATABASE));
            env.put(ExternalEndpoints.POSTGRES_JDBC_ENV, stack.postgresJdbcUrl(DATABASE));
            env.put(ExternalEndpoints.POSTGRES_USER_ENV, EmbeddedStack.POSTGRES_USER);
            env.put(ExternalEndpoints.POSTGRES_PASSWORD_ENV, "");
        } else if (!env.containsKey(ExternalEndpoints.POSTGRES_REACTIVE_ENV)) {
            env.put(ExternalEndpoints.POSTGRES_REACTIVE_ENV, env.get(ExternalEndpoints.POSTGRES_JDBC_ENV).replaceFirst("^jdbc:", ""));
        }
        if (config.startRedis()) {
            env.put(ExternalEndpoints.REDIS_ENV, stack.redisUri());
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "---- " + java.time.Instant.now() + " ./countersign up ----\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = builder.start();
            // If this launcher is killed outright, its services go with it.
            watchdogs.add(Watchdog.guard("kill -TERM \"$1\"", Long.toString(process.pid())));
            return process;
        } catch (IOException e) {
            throw new StackException("Cannot start " + spec.module() + ": " + e.getMessage(), e);
        }
    }

    private void serviceEnvironment(Map<String, String> env, DevKeys keys, String name) {
        // provisioning asks registration directly about registrations whose event it has not seen yet.
        env.putIfAbsent("COUNTERSIGN_PROVISIONING_REGISTRATION_URL", "http://127.0.0.1:" + portOf("registration"));
        // Devices are told where to enrol (in enrolment URIs) and where the push channel is, wherever the ports are.
        env.putIfAbsent("COUNTERSIGN_REGISTRATION_PROVISIONING_URL", "http://localhost:" + portOf("provisioning"));
        env.putIfAbsent("COUNTERSIGN_PROVISIONING_PUSH_CHANNEL_URL", "ws://localhost:" + portOf("push") + "/api/v1/devices/channel");
        env.putIfAbsent("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.publicKey().toUri().toString());
        // The portal's tokens are signed with the development key too; its key id speaks for its domain only.
        env.putIfAbsent("COUNTERSIGN_WEB_BOUND_KEYS", env.getOrDefault("COUNTERSIGN_PORTAL_SERVICE_TOKEN_KEY_ID", "countersign-portal")
                + "@" + env.getOrDefault("COUNTERSIGN_PORTAL_DOMAIN", DevTokens.DEFAULT_DOMAIN));
        boolean ownAtRestKeys = env.containsKey("COUNTERSIGN_EVENTS_SEALING_AT_REST_KEYS");
        sealingEnvironment(keys, name).forEach(env::putIfAbsent);
        if (name.equals("provisioning") && !ownAtRestKeys && !env.containsKey(CA_KEY_ENV)) {
            env.putAll(deviceCa(keys));
        }
    }

    /**
     * The portal signs its own service tokens with the development key that ./countersign token uses (which
     * every service trusts), for the development token's domain unless COUNTERSIGN_PORTAL_DOMAIN names
     * another. It gets no sealing key and no CA: it keeps no secret of the services'.
     */
    private void portalEnvironment(Map<String, String> env) {
        env.putIfAbsent("COUNTERSIGN_PORTAL_DOMAIN", DevTokens.DEFAULT_DOMAIN);
        env.putIfAbsent("COUNTERSIGN_PORTAL_SERVICE_TOKEN_KEY_LOCATION", workspace.keys().resolve(DevKeys.PRIVATE_KEY_FILE).toString());
        for (ServiceSpec service : ServiceSpec.ALL) {
            if (!service.isPortal()) {
                env.putIfAbsent("COUNTERSIGN_PORTAL_SERVICES_" + service.name().toUpperCase(Locale.ROOT).replace('-', '_') + "_URL",
                        "http://127.0.0.1:" + ports.get(service));
            }
        }
    }

    private Map<ServiceSpec, Double> awaitServices(Map<ServiceSpec, Integer> ports) {
        Map<ServiceSpec, Double> readyAfter = new LinkedHashMap<>();
        long deadline = System.nanoTime() + SERVICE_START_TIMEOUT.toNanos();
        while (readyAfter.size() < services.size()) {
            for (Map.Entry<ServiceSpec, Process> entry : services.entrySet()) {
                ServiceSpec spec = entry.getKey();
                if (readyAfter.containsKey(spec)) {
                    continue;
                }
                if (!entry.getValue().isAlive()) {
                    throw new StackException(spec.module() + " exited with " + entry.getValue().exitValue()
                            + " while starting. Its log: ./countersign logs " + spec.name() + "\n" + tail(spec));
                }
                if (isReady(ports.get(spec))) {
                    double after = seconds(startedAt);
                    readyAfter.put(spec, after);
                    progress(String.format(Locale.ROOT, "%-22s ready", spec.module()));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("Not every service was ready within " + SERVICE_START_TIMEOUT.toMinutes()
                        + " minutes; see ./countersign status and ./countersign logs SERVICE");
            }
            sleep(250);
        }
        return readyAfter;
    }

    boolean isReady(int port) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void printSummary(Map<ServiceSpec, Integer> ports, Map<ServiceSpec, Double> readyAfter, double stackSeconds,
                              double servicesSeconds, DevKeys keys, Properties state) {
        StringBuilder out = new StringBuilder("\n");
        out.append(String.format(Locale.ROOT, "Countersign is up in %s s (infrastructure %s s, services %s s)%n%n",
                format(seconds(startedAt)), format(stackSeconds), format(servicesSeconds)));
        out.append(String.format(Locale.ROOT, "  %-14s %-24s %-40s %-34s %s%n", "service", "URL", "API docs", "metrics",
                "ready after"));
        for (ServiceSpec spec : ServiceSpec.ALL) {
            String url = "http://localhost:" + ports.get(spec);
            out.append(String.format(Locale.ROOT, "  %-14s %-24s %-40s %-34s %s s%n", spec.name(), url,
                    spec.isPortal() ? "(pages for people)" : url + "/q/swagger-ui",
                    "http://localhost:" + state.getProperty("service." + spec.name() + ".management-port") + "/q/metrics",
                    format(readyAfter.get(spec))));
        }
        out.append(String.format(Locale.ROOT, "%n  %-14s %s%n", "Kafka", state.getProperty("kafka")));
        out.append(String.format(Locale.ROOT, "  %-14s %s (user postgres, one schema per service)%n", "PostgreSQL",
                state.getProperty("postgres")));
        out.append(String.format(Locale.ROOT, "  %-14s %s%n", "Redis", state.getProperty("redis")));
        String token = DevTokens.mint(keys.privateKey(), "countersign-dev", DevTokens.DEFAULT_DOMAIN, DevTokens.ALL_SCOPES,
                Duration.ofHours(12));
        out.append("\nDevelopment token (domain ").append(DevTokens.DEFAULT_DOMAIN).append(", every scope, valid 12 h):\n  ")
                .append(token).append("\n\n");
        ServiceSpec portal = ServiceSpec.ALL.stream().filter(ServiceSpec::isPortal).findFirst().orElseThrow();
        out.append("Portal: http://localhost:").append(ports.get(portal)).append("   (users of ")
                .append(workspace.env().getOrDefault("COUNTERSIGN_PORTAL_DOMAIN", DevTokens.DEFAULT_DOMAIN))
                .append(" sign in with a code from their device: README.md, \"Try it: the portal\")\n");
        out.append("Try:   curl -H \"Authorization: Bearer $(./countersign token)\" http://localhost:")
                .append(ports.get(ServiceSpec.ALL.get(0))).append("/api/v1/whoami\n");
        out.append("Logs:  ./countersign logs SERVICE     Stop: Ctrl-C, or ./countersign down\n");
        System.out.print(out);
        System.out.flush();
    }

    /**
     * Restarts a service that exits, as Kubernetes would, a few times at most, so that a crash (or a
     * test that kills a service on purpose) does not leave the suite half up.
     */
    private void watchServices(Properties state) {
        Map<ServiceSpec, Integer> restarts = new java.util.HashMap<>();
        while (true) {
            synchronized (this) {
                if (stopping) {
                    return;
                }
                for (Map.Entry<ServiceSpec, Process> entry : services.entrySet()) {
                    ServiceSpec spec = entry.getKey();
                    Process process = entry.getValue();
                    if (process.isAlive()) {
                        continue;
                    }
                    int count = restarts.merge(spec, 1, Integer::sum);
                    if (count > MAX_RESTARTS) {
                        if (count == MAX_RESTARTS + 1) {
                            progress(spec.module() + " exited with " + process.exitValue() + " again; not restarting it. "
                                    + "See ./countersign logs " + spec.name());
                        }
                        continue;
                    }
                    progress(spec.module() + " exited with " + process.exitValue() + "; restarting it (see ./countersign logs "
                            + spec.name() + ")");
                    Process restarted = startService(spec, ports.get(spec), config, keys);
                    entry.setValue(restarted);
                    state.setProperty("service." + spec.name() + ".pid", Long.toString(restarted.pid()));
                    try {
                        workspace.writeState(state);
                    } catch (IOException e) {
                        progress("Cannot update " + workspace.stateFile() + ": " + e.getMessage());
                    }
                }
            }
            sleep(1000);
        }
    }

    /** Services first (they flush and close their connections), then the stack. */
    private synchronized void stopAll() {
        stopping = true;
        if (!services.isEmpty()) {
            progress("Stopping the services");
            services.values().forEach(Process::destroy);
            for (Process process : services.values()) {
                try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            }
            services.clear();
            watchdogs.forEach(Watchdog::close);
            watchdogs.clear();
        }
        if (stack != null) {
            progress("Stopping Kafka, PostgreSQL and Redis");
            stack.close();
            stack = null;
        }
        try {
            Files.deleteIfExists(workspace.stateFile());
            Files.deleteIfExists(workspace.pidFile());
        } catch (IOException ignored) {
            // Stale run files are recognised by their dead pid.
        }
        progress("Stopped");
    }

    private String tail(ServiceSpec spec) {
        try {
            List<String> lines = Files.readAllLines(workspace.logs().resolve(spec.name() + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static String describe(StackConfig config) {
        List<String> parts = new ArrayList<>();
        if (config.startKafka()) {
            parts.add("Kafka :" + config.kafkaPort());
        }
        if (config.startPostgres()) {
            parts.add("PostgreSQL :" + config.postgresPort());
        }
        if (config.startRedis()) {
            parts.add("Redis :" + config.redisPort());
        }
        return parts.isEmpty() ? "no infrastructure (all external)" : String.join(", ", parts);
    }

    private void progress(String message) {
        System.out.printf(Locale.ROOT, "[%6.1fs] %s%n", seconds(startedAt), message);
        System.out.flush();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static String format(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }

    private static String join(List<Long> pids) {
        return String.join(",", pids.stream().map(String::valueOf).toList());
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted");
        }
    }
}
