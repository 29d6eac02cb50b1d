package org.countersign.stack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.countersign.stack.StackException;

/** A single-node KRaft broker in its own JVM, from the Apache Kafka jars on Maven Central. */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final int port;
    private final Process process;

    private KafkaBroker(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    public static KafkaBroker start(Path dir, int port, int controllerPort, Path logFile, boolean lean) {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(logFile.getParent());
            Path config = dir.resolve("server.properties");
            Files.writeString(config, serverProperties(dir, port, controllerPort, lean));
            Path log4j = dir.resolve("log4j2.xml");
            Files.writeString(log4j, log4jConfig(logFile));
            Path ready = dir.resolve("ready");
            Files.deleteIfExists(ready);

            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms128m", "-Xmx512m"));
            command.addAll(lean ? List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                    : List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20"));
            command.addAll(List.of("-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + log4j, "-cp", classpath(dir),
                    KafkaMain.class.getName(), config.toString(), clusterId(dir), ready.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            KafkaBroker broker = new KafkaBroker(port, process);
            broker.awaitReady(ready, logFile);
            return broker;
        } catch (IOException e) {
            throw new StackException("Could not start Kafka: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Path ready, Path logFile) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!Files.exists(ready)) {
            if (!process.isAlive()) {
                throw new StackException("Kafka exited with " + process.exitValue() + " during start-up; see " + logFile);
            }
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new StackException("Kafka was not ready within " + START_TIMEOUT.toSeconds() + " s; see " + logFile);
            }
            sleep(50);
        }
    }

    /** Stops the broker gracefully (it flushes and deregisters), or kills it after a grace period. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the broker hard, as a crash would; the data stays for the next start. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String clusterId(Path dir) throws IOException {
        Path file = dir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id;
        do {
            UUID uuid = UUID.randomUUID();
            byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (uuid.getMostSignificantBits() >>> (56 - 8 * i));
                bytes[8 + i] = (byte) (uuid.getLeastSignificantBits() >>> (56 - 8 * i));
            }
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            // The storage tool would read an id that starts with '-' as an option (Kafka's own
            // Uuid.randomUuid() draws again for the same reason).
        } while (id.startsWith("-"));
        Files.writeString(file, id + "\n");
        return id;
    }

    private static String serverProperties(Path dir, int port, int controllerPort, boolean lean) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                // Topics are created by the services with their configured partitions, never by accident.
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // After a crash the restarted broker waits for its old registration's session to expire
                // (9 s by default): 12.7 s from kill to ready, against 3.3 s for a first start; about 3.8 s
                // with a test broker's 1.5 s. The suite's broker keeps six missed heartbeats of slack under load.
                "broker.session.timeout.ms=" + (lean ? 1500 : 3000),
                "broker.heartbeat.interval.ms=500",
                "log.retention.hours=168",
                "log.segment.bytes=67108864",
                "") ;
    }

    private static String log4jConfig(Path logFile) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="WARN">
                  <Appenders>
                    <File name="file" fileName="%s" append="true">
                      <PatternLayout pattern="%%d{ISO8601} %%-5p [%%c{1}] %%m%%n"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Root level="WARN"><AppenderRef ref="file"/></Root>
                    <Logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                  </Loggers>
                </Configuration>
                """.formatted(logFile);
    }

    /**
     * The broker's classpath: a copy of {@link KafkaMain} in the broker's own directory, then the Kafka
     * jars that the build listed in kafka.classpath from the local Maven repository. The copy matters:
     * the jar KafkaMain comes from may be rebuilt while the broker runs, and a JVM whose jar changes
     * under it fails to load its next class.
     */
    private static String classpath(Path dir) throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("/org/countersign/stack/kafka.classpath")) {
            if (in == null) {
                throw new StackException("kafka.classpath is missing from countersign-stack; rebuild it with Maven");
            }
            String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String jar : jars.split(java.io.File.pathSeparator)) {
                if (!Files.exists(Path.of(jar))) {
                    throw new StackException("The Kafka jar " + jar + " is missing: run 'mvn -DskipTests install' once");
                }
            }
            Path classes = dir.resolve("classes");
            String resource = KafkaMain.class.getName().replace('.', '/') + ".class";
            Path copy = classes.resolve(resource);
            Files.createDirectories(copy.getParent());
            try (InputStream main = KafkaBroker.class.getClassLoader().getResourceAsStream(resource)) {
                Files.copy(main, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return classes + java.io.File.pathSeparator + jars;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting for Kafka", e);
        }
    }
}
