package org.countersign.stack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.countersign.stack.Ports;
import org.countersign.stack.StackException;
import org.countersign.stack.Watchdog;

/**
 * Redis from the Linux x86-64 redis-server binary that the embedded-redis jar ships. We run the
 * binary ourselves so that it lives in our data directory, logs to our log file and is watched.
 */
public final class RedisServer implements AutoCloseable {

    private static final String BINARY = "redis-server-6.2.6-v5-linux-amd64";

    private final Process process;
    private final Watchdog watchdog;
    private final int port;

    private RedisServer(Process process, Watchdog watchdog, int port) {
        this.process = process;
        this.watchdog = watchdog;
        this.port = port;
    }

    public static RedisServer start(Path dir, int port, Path logFile) {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(logFile.getParent());
            Path binary = extract(dir);
            // Redis is a cache here: PostgreSQL holds the truth, so no persistence is configured.
            Process process = startRetryingBusyText(new ProcessBuilder(List.of(binary.toString(),
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                    "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--maxmemory", "256mb", "--maxmemory-policy", "volatile-lru",
                    "--logfile", logFile.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())));
            Watchdog watchdog = Watchdog.guard("kill -TERM \"$1\"", Long.toString(process.pid()));
            RedisServer server = new RedisServer(process, watchdog, port);
            try {
                Ports.awaitOpen("127.0.0.1", port, Duration.ofSeconds(20), "Redis");
            } catch (StackException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new StackException("Could not start Redis on port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the freshly extracted binary. While another thread forks (Kafka and PostgreSQL start in
     * parallel), the child briefly holds every open descriptor, the binary's write descriptor
     * included, and exec fails with ETXTBSY; it succeeds a moment later.
     */
    private static Process startRetryingBusyText(ProcessBuilder builder) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return builder.start();
            } catch (IOException e) {
                if (attempt >= 20 || !String.valueOf(e.getMessage()).contains("error=26")) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static Path extract(Path dir) throws IOException {
        Path binary = dir.resolve("redis-server");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(BINARY)) {
            if (in == null) {
                throw new StackException("The embedded-redis jar with " + BINARY + " is not on the classpath");
            }
            Path partial = dir.resolve("redis-server.partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return binary;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            watchdog.close();
        }
    }
}
