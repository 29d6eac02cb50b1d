package org.countersign.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.countersign.stack.DevCertificateAuthority;
import org.countersign.stack.DevKeys;
import org.countersign.stack.EmbeddedStack;
import org.countersign.stack.StackConfig;

/**
 * One embedded stack per test JVM, started on first use on free ports in a temporary directory and
 * stopped when the JVM exits. Every Quarkus restart (test profiles) reuses it.
 *
 * <p>Each test profile's application has a class loader of its own, and with it its own copy of this
 * class: a static field here would start a stack per profile and keep each one (a Kafka JVM among them)
 * running until the JVM exits. So the stack lives in the loader that started it, and the others reach it
 * through a JDK type that all loaders share: a {@code BiFunction} of an operation's name and argument,
 * registered in the platform MBean server, the JVM's one registry of objects (not in the system
 * properties: libraries copy those and take every value for a string).
 */
public final class SharedStack {

    private static final ObjectName HOLDER = holderName();
    /** A string literal is the same object in every class loader: the lock for the first start. */
    private static final String LOCK = "org.countersign.testing.SharedStack.lock";

    /** The MBean that holds the operations; public because the MBean server introspects it. */
    public interface OperationsHolder {
        BiFunction<String, String, String> getOperations();
    }

    private static DevKeys keys;

    private SharedStack() {
    }

    @SuppressWarnings("unchecked")
    public static TestStack get() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        synchronized (LOCK) {
            try {
                if (!server.isRegistered(HOLDER)) {
                    BiFunction<String, String, String> operations = operations(start());
                    OperationsHolder holder = () -> operations;
                    server.registerMBean(new StandardMBean(holder, OperationsHolder.class), HOLDER);
                }
                return new TestStack((BiFunction<String, String, String>) server.getAttribute(HOLDER, "Operations"));
            } catch (JMException e) {
                throw new IllegalStateException("The test stack's holder in the platform MBean server: " + e.getMessage(), e);
            }
        }
    }

    private static ObjectName holderName() {
        try {
            return new ObjectName("org.countersign.testing:type=SharedStack");
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static EmbeddedStack start() {
        try {
            Path dir = Files.createTempDirectory("countersign-test-stack-");
            EmbeddedStack started = EmbeddedStack.start(StackConfig.ephemeral(dir));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                deleteQuietly(dir);
            }, "test-stack-stop"));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BiFunction<String, String, String> operations(EmbeddedStack stack) {
        return (operation, argument) -> switch (operation) {
            case "kafkaBootstrapServers" -> stack.kafkaBootstrapServers();
            case "postgresJdbcUrl" -> stack.postgresJdbcUrl(argument);
            case "postgresReactiveUrl" -> stack.postgresReactiveUrl(argument);
            case "redisUri" -> stack.redisUri();
            default -> {
                act(stack, operation, argument);
                yield null;
            }
        };
    }

    private static void act(EmbeddedStack stack, String operation, String argument) {
        switch (operation) {
            case "createDatabase" -> stack.createDatabase(argument);
            case "dropDatabase" -> stack.dropDatabase(argument);
            case "killKafka" -> stack.killKafka();
            case "restartKafka" -> stack.restartKafka();
            case "stopPostgres" -> stack.stopPostgres();
            case "restartPostgres" -> stack.restartPostgres();
            case "stopRedis" -> stack.stopRedis();
            case "restartRedis" -> stack.restartRedis();
            default -> throw new IllegalArgumentException("No such stack operation: " + operation);
        }
    }

    /** The token key pair the services under test trust; it needs no running stack. */
    public static synchronized DevKeys keys() {
        if (keys == null) {
            try {
                Path dir = Files.createTempDirectory("countersign-test-keys-");
                keys = DevKeys.in(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "test-keys-cleanup"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    /** The development CA that issues device certificates in tests, kept beside the token keys. */
    public static synchronized DevCertificateAuthority deviceCa() {
        return DevCertificateAuthority.in(keys().publicKey().getParent());
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }
}
