package org.countersign.stack;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the embedded stack keeps its data and which loopback ports it listens on. A component whose
 * endpoint is configured externally (a Kafka bootstrap, a PostgreSQL or Redis URL) is not started.
 *
 * @param dataDir           holds kafka/, postgres/, redis/, keys/ and logs/
 * @param kafkaPort         the broker's PLAINTEXT listener
 * @param kafkaControllerPort the KRaft controller listener
 * @param startKafka        false when Kafka runs elsewhere
 * @param startPostgres     false when PostgreSQL runs elsewhere
 * @param startRedis        false when Redis runs elsewhere
 * @param postgresBinaries  where zonky unpacks PostgreSQL (once per directory: a marker says it is done)
 * @param leanKafka         a broker for a test JVM: C1-compiled only, with the serial collector, and a 1.5 s
 *                          broker session (3 s otherwise), so that a restart after a kill is quick. Such a
 *                          broker carries a few requests a second, and on two cores the C2 compilations of
 *                          a production-like JVM (its start-up alone took 6 s of CPU) are taken from the
 *                          tests; {@code ./countersign up} and its benchmarks keep the production options
 */
public record StackConfig(Path dataDir, int kafkaPort, int kafkaControllerPort, int postgresPort, int redisPort,
                          boolean startKafka, boolean startPostgres, boolean startRedis, Path postgresBinaries,
                          boolean leanKafka) {

    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_REDIS_PORT = 16379;

    /**
     * The launcher's configuration: {@code COUNTERSIGN_DATA_DIR}, {@code COUNTERSIGN_KAFKA_PORT},
     * {@code COUNTERSIGN_KAFKA_CONTROLLER_PORT}, {@code COUNTERSIGN_POSTGRES_PORT} and
     * {@code COUNTERSIGN_REDIS_PORT}; the standard Quarkus variables for external infrastructure
     * switch the matching component off.
     */
    public static StackConfig fromEnvironment(Map<String, String> env, Path defaultDataDir) {
        Path dataDir = (env.containsKey("COUNTERSIGN_DATA_DIR") ? Path.of(env.get("COUNTERSIGN_DATA_DIR")) : defaultDataDir)
                .toAbsolutePath().normalize();
        return new StackConfig(dataDir,
                port(env, "COUNTERSIGN_KAFKA_PORT", DEFAULT_KAFKA_PORT),
                port(env, "COUNTERSIGN_KAFKA_CONTROLLER_PORT", DEFAULT_KAFKA_CONTROLLER_PORT),
                port(env, "COUNTERSIGN_POSTGRES_PORT", DEFAULT_POSTGRES_PORT),
                port(env, "COUNTERSIGN_REDIS_PORT", DEFAULT_REDIS_PORT),
                !env.containsKey(ExternalEndpoints.KAFKA_ENV),
                !env.containsKey(ExternalEndpoints.POSTGRES_JDBC_ENV) && !env.containsKey(ExternalEndpoints.POSTGRES_REACTIVE_ENV),
                !env.containsKey(ExternalEndpoints.REDIS_ENV),
                dataDir.resolve("postgres").resolve("binaries"), false);
    }

    /**
     * A throw-away stack on free ports in the given directory, for a test JVM. PostgreSQL's binaries are
     * unpacked once per machine and user, not once per test JVM (about 3 s each on 2 cores).
     */
    public static StackConfig ephemeral(Path dataDir) {
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "countersign-postgres-binaries-" + System.getProperty("user.name"));
        return new StackConfig(dataDir, Ports.free(), Ports.free(), Ports.free(), Ports.free(), true, true, true, binaries, true);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new StackException(name + " must be a port number between 1 and 65535, not '" + value + "'");
        }
    }
}
