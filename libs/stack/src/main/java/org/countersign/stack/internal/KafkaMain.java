package org.countersign.stack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The entry point of the broker's own JVM: formats the KRaft storage on first start, runs the broker,
 * writes a ready marker once a client can talk to it, and exits when its parent's pipe closes.
 * Arguments: the server.properties file, the cluster id, the ready marker file.
 */
public final class KafkaMain {

    private KafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        String clusterId = args[1];
        Path readyMarker = Path.of(args[2]);
        Files.deleteIfExists(readyMarker);

        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            props.load(in);
        }
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"},
                    new PrintStream(System.out, true));
            if (rc != 0) {
                System.err.println("Formatting the Kafka storage failed with " + rc);
                System.exit(rc);
            }
        }

        Thread parentWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Nothing is ever sent; we only wait for the end of the stream.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same as its end.
            }
            System.exit(0);
        }, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();

        Thread readiness = new Thread(() -> awaitReady(props.getProperty("advertised.listeners"), readyMarker), "readiness");
        readiness.setDaemon(true);
        readiness.start();

        kafka.Kafka.main(new String[] {config.toString()});
    }

    private static void awaitReady(String listeners, Path readyMarker) {
        String bootstrap = listeners.replace("PLAINTEXT://", "");
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        while (true) {
            try (Admin admin = Admin.create(props)) {
                if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                    Files.writeString(readyMarker, "ready\n");
                    return;
                }
            } catch (Exception e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
