package org.countersign.stack.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.countersign.stack.StackException;
import org.countersign.stack.Watchdog;

/**
 * PostgreSQL from zonky's binaries. PostgreSQL refuses to run as root; zonky then runs initdb and
 * postgres under {@code unshare -U}, where the uid is nobody, so the same code works for root and for
 * a normal user. The data directory is kept between starts.
 */
public final class PostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Watchdog watchdog;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, Watchdog watchdog, int port) {
        this.postgres = postgres;
        this.watchdog = watchdog;
        this.port = port;
    }

    public static PostgresServer start(Path dir, Path binaries, int port, Path logFile) {
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(dir);
            Files.createDirectories(logFile.getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("max_prepared_transactions", "0")
                    // Counts statements (./countersign bench otp reads them per verification); zonky's
                    // binaries ship the extension, and its cost is a hash-table update per statement.
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            Watchdog watchdog = Watchdog.guard(
                    "kill -INT \"$(head -n 1 \"$1/postmaster.pid\" 2>/dev/null)\" 2>/dev/null", data.toString());
            return new PostgresServer(postgres, watchdog, port);
        } catch (IOException | RuntimeException e) {
            throw new StackException("Could not start PostgreSQL on port " + port + ": " + e.getMessage()
                    + " (see " + logFile + ")", e);
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new StackException("Could not stop PostgreSQL: " + e.getMessage(), e);
        } finally {
            watchdog.close();
        }
    }
}
