package org.countersign.testing;

import java.util.function.BiFunction;

/**
 * The test JVM's embedded stack as a test uses it: where its parts listen, databases, and outages. It reaches
 * the stack through a JDK function ({@link SharedStack} says why), so each call is an operation's name and
 * its one argument.
 */
public final class TestStack {

    private final BiFunction<String, String, String> operations;

    TestStack(BiFunction<String, String, String> operations) {
        this.operations = operations;
    }

    public String kafkaBootstrapServers() {
        return operations.apply("kafkaBootstrapServers", null);
    }

    public String postgresJdbcUrl(String database) {
        return operations.apply("postgresJdbcUrl", database);
    }

    public String postgresReactiveUrl(String database) {
        return operations.apply("postgresReactiveUrl", database);
    }

    public String redisUri() {
        return operations.apply("redisUri", null);
    }

    public void createDatabase(String name) {
        operations.apply("createDatabase", name);
    }

    public void dropDatabase(String name) {
        operations.apply("dropDatabase", name);
    }

    /** Kills the broker as a crash would; {@link #restartKafka()} brings it back with its data. */
    public void killKafka() {
        operations.apply("killKafka", null);
    }

    public void restartKafka() {
        operations.apply("restartKafka", null);
    }

    /** Stops PostgreSQL as an outage would; {@link #restartPostgres()} brings it back with its data. */
    public void stopPostgres() {
        operations.apply("stopPostgres", null);
    }

    public void restartPostgres() {
        operations.apply("restartPostgres", null);
    }

    /** Stops Redis as an outage would; {@link #restartRedis()} brings it back, empty. */
    public void stopRedis() {
        operations.apply("stopRedis", null);
    }

    public void restartRedis() {
        operations.apply("restartRedis", null);
    }
}
