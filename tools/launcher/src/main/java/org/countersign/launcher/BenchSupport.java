package org.countersign.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * What the benchmarks that drive the running suite share: progress lines, the files that carry their
 * data to the next run, the processes to watch, the outboxes to drain.
 */
final class BenchSupport {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);
    private static final long STARTED = System.nanoTime();

    private BenchSupport() {
    }

    static void progress(String message) {
        System.err.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, message);
    }

    /**
     * A benchmark's data kept from an earlier run, as {@code parse} reads it; null when there is none,
     * it cannot be read, or {@code parse} finds it of another shape (returns null or throws).
     */
    static <T> T readKept(Path file, Function<Properties, T> parse) {
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            return parse.apply(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Keeps a benchmark's data for the next run: written aside and moved into place, so that a run
     * stopped half-way leaves the old file or the new one, and readable by this user only (it may hold
     * the keys of development tokens, as keys/ holds the development keys).
     */
    static void keep(Path file, Properties p, String comment) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            p.store(out, comment);
        }
        try {
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system.
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Long pid(String value) {
        return value == null || value.isBlank() ? null : Long.parseLong(value.trim());
    }

    /**
     * The processes whose CPU use is worth telling apart, each with its descendants: the services
     * named (as "NAME-service"), PostgreSQL, Kafka, Redis, the other services and the bench client.
     */
    static Map<String, List<Long>> cpuGroups(Workspace workspace, Properties state, List<String> apart) {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        for (String service : apart) {
            groups.put(service + "-service", CpuUse.alive(List.of(pid(state.getProperty("service." + service + ".pid")))));
        }
        Path postmaster = workspace.dataDir().resolve("postgres").resolve("data").resolve("postmaster.pid");
        try {
            groups.put("PostgreSQL", CpuUse.alive(List.of(Long.parseLong(Files.readAllLines(postmaster).get(0).trim()))));
        } catch (IOException | RuntimeException e) {
            // External PostgreSQL: not on this machine's books.
        }
        List<Long> kafka = new ArrayList<>();
        List<Long> redis = new ArrayList<>();
        for (String pid : state.getProperty("stack.pids", "").split(",")) {
            if (!pid.isBlank()) {
                boolean isRedis = ProcessHandle.of(Long.parseLong(pid.trim())).flatMap(p -> p.info().commandLine())
                        .map(c -> c.contains("redis")).orElse(false);
                (isRedis ? redis : kafka).add(Long.parseLong(pid.trim()));
            }
        }
        groups.put("Kafka", CpuUse.alive(kafka));
        groups.put("Redis", CpuUse.alive(redis));
        List<Long> others = new ArrayList<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            if (!apart.contains(spec.name())) {
                others.add(pid(state.getProperty("service." + spec.name() + ".pid")));
            }
        }
        groups.put("other services", CpuUse.alive(others));
        groups.put("bench client", List.of(ProcessHandle.current().pid()));
        return groups;
    }

    /**
     * Waits until the services' relays have published what the load wrote, so that one phase's
     * events do not cost the next one CPU. Reads (never writes) the outbox tables of the schemas named.
     */
    static String drain(String jdbc, String user, String password, List<String> schemas) {
        String backlogQuery = "SELECT " + String.join(" + ", schemas.stream()
                .map(schema -> "(SELECT count(*) FROM " + schema + ".outbox_events WHERE published_at IS NULL)").toList());
        try (Connection connection = DriverManager.getConnection(jdbc, user, password); Statement s = connection.createStatement()) {
            long start = System.nanoTime();
            long first = -1;
            while (true) {
                long backlog;
                try (ResultSet rs = s.executeQuery(backlogQuery)) {
                    rs.next();
                    backlog = rs.getLong(1);
                }
                if (first < 0) {
                    first = backlog;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (backlog == 0) {
                    return String.format(Locale.ROOT, "%d events, published within %.1f s", first, seconds);
                }
                if (seconds > DRAIN_TIMEOUT.toSeconds()) {
                    return String.format(Locale.ROOT, "%d events, %d still unpublished after %.0f s", first, backlog, seconds);
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            return "n/a (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a (interrupted)";
        }
    }
}
