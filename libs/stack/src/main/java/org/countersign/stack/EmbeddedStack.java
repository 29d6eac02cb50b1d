package org.countersign.stack;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.countersign.stack.internal.KafkaBroker;
import org.countersign.stack.internal.PostgresServer;
import org.countersign.stack.internal.RedisServer;

/**
 * A real Kafka broker, PostgreSQL server and Redis server on loopback, started without Docker. The
 * launcher and the tests both use it. Components run in parallel during start-up; close() stops
 * them in reverse order.
 */
public final class EmbeddedStack implements AutoCloseable {

    public static final String POSTGRES_USER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final StackConfig config;
    private volatile KafkaBroker kafka;
    private volatile PostgresServer postgres;
    private volatile RedisServer redis;

    private EmbeddedStack(StackConfig config, KafkaBroker kafka, PostgresServer postgres, RedisServer redis) {
        this.config = config;
        this.kafka = kafka;
        this.postgres = postgres;
        this.redis = redis;
    }

    public static EmbeddedStack start(StackConfig config) {
        if (config.startKafka()) {
            Ports.requireFree(config.kafkaPort(), "Kafka", "COUNTERSIGN_KAFKA_PORT");
            Ports.requireFree(config.kafkaControllerPort(), "Kafka controller", "COUNTERSIGN_KAFKA_CONTROLLER_PORT");
        }
        if (config.startPostgres()) {
            Ports.requireFree(config.postgresPort(), "PostgreSQL", "COUNTERSIGN_POSTGRES_PORT");
        }
        if (config.startRedis()) {
            Ports.requireFree(config.redisPort(), "Redis", "COUNTERSIGN_REDIS_PORT");
        }
        Path logs = config.dataDir().resolve("logs");
        CompletableFuture<KafkaBroker> kafka = config.startKafka()
                ? CompletableFuture.supplyAsync(() -> KafkaBroker.start(config.dataDir().resolve("kafka"),
                        config.kafkaPort(), config.kafkaControllerPort(), logs.resolve("kafka.log"), config.leanKafka()))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<PostgresServer> postgres = config.startPostgres()
                ? CompletableFuture.supplyAsync(() -> PostgresServer.start(config.dataDir().resolve("postgres"),
                        config.postgresBinaries(), config.postgresPort(), logs.resolve("postgres.log")))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<RedisServer> redis = config.startRedis()
                ? CompletableFuture.supplyAsync(() -> RedisServer.start(config.dataDir().resolve("redis"),
                        config.redisPort(), logs.resolve("redis.log")))
                : CompletableFuture.completedFuture(null);
        try {
            CompletableFuture.allOf(kafka, postgres, redis).join();
        } catch (CompletionException e) {
            closeQuietly(kafka.getNow(null), postgres.getNow(null), redis.getNow(null));
            kafka.thenAccept(EmbeddedStack::closeQuietly);
            postgres.thenAccept(EmbeddedStack::closeQuietly);
            redis.thenAccept(EmbeddedStack::closeQuietly);
            throw e.getCause() instanceof StackException stack ? stack : new StackException(e.getCause().getMessage(), e.getCause());
        }
        // No shutdown hook here: the owner decides the order (the launcher stops the services first).
        // If the owner dies without closing, the watchdogs and Kafka's pipe stop everything anyway.
        return new EmbeddedStack(config, kafka.join(), postgres.join(), redis.join());
    }

    public StackConfig config() {
        return config;
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + config.kafkaPort();
    }

    /** A JDBC URL for a database of the embedded PostgreSQL. */
    public String postgresJdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + config.postgresPort() + "/" + database;
    }

    /** A Vert.x reactive client URL for a database of the embedded PostgreSQL. */
    public String postgresReactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + config.postgresPort() + "/" + database;
    }

    public String redisUri() {
        return "redis://127.0.0.1:" + config.redisPort();
    }

    /** Creates a database of the embedded PostgreSQL unless it exists already. */
    public void createDatabase(String name) {
        requireDatabaseName(name);
        try (Connection connection = DriverManager.getConnection(postgresJdbcUrl("postgres"), POSTGRES_USER, "");
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new StackException("Could not create database " + name + ": " + e.getMessage(), e);
        }
    }

    public void dropDatabase(String name) {
        requireDatabaseName(name);
        try (Connection connection = DriverManager.getConnection(postgresJdbcUrl("postgres"), POSTGRES_USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new StackException("Could not drop database " + name + ": " + e.getMessage(), e);
        }
    }

    /** The process ids of what this stack runs in its own processes (for status and clean-up). */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        if (kafka != null) {
            pids.add(kafka.pid());
        }
        if (redis != null) {
            pids.add(redis.pid());
        }
        return pids;
    }

    /** Kills the broker as a crash would; {@link #restartKafka()} brings it back with its data. */
    public void killKafka() {
        requireKafka().kill();
    }

    public void restartKafka() {
        requireKafka();
        kafka = KafkaBroker.start(config.dataDir().resolve("kafka"), config.kafkaPort(), config.kafkaControllerPort(),
                config.dataDir().resolve("logs").resolve("kafka.log"), config.leanKafka());
    }

    /** Stops Redis as an outage would; {@link #restartRedis()} brings it back (empty: it is a cache). */
    public void stopRedis() {
        if (redis == null) {
            throw new IllegalStateException("Redis is external to this stack");
        }
        redis.close();
    }

    public void restartRedis() {
        redis = RedisServer.start(config.dataDir().resolve("redis"), config.redisPort(),
                config.dataDir().resolve("logs").resolve("redis.log"));
    }

    /**
     * Stops PostgreSQL as an outage would (a fast shutdown: open sessions are cut);
     * {@link #restartPostgres()} brings it back on the same port with the same data.
     */
    public synchronized void stopPostgres() {
        if (!config.startPostgres()) {
            throw new IllegalStateException("PostgreSQL is external to this stack");
        }
        PostgresServer running = postgres;
        postgres = null;
        if (running != null) {
            running.close();
        }
    }

    public synchronized void restartPostgres() {
        if (!config.startPostgres()) {
            throw new IllegalStateException("PostgreSQL is external to this stack");
        }
        if (postgres == null) {
            postgres = PostgresServer.start(config.dataDir().resolve("postgres"), config.postgresBinaries(), config.postgresPort(),
                    config.dataDir().resolve("logs").resolve("postgres.log"));
        }
    }

    private KafkaBroker requireKafka() {
        if (kafka == null) {
            throw new IllegalStateException("Kafka is external to this stack");
        }
        return kafka;
    }

    @Override
    public synchronized void close() {
        closeQuietly(kafka, redis, postgres);
    }

    private static void closeQuietly(AutoCloseable... components) {
        for (AutoCloseable component : components) {
            if (component == null) {
                continue;
            }
            try {
                component.close();
            } catch (Exception e) {
                System.err.println("Stopping " + component.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
    }

    private static void requireDatabaseName(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
    }
}
