package org.countersign.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersign.stack.StackException;

/**
 * PostgreSQL's own pgbench, run on a custom script: the rate the database takes with no service in
 * front of it. Debian 12 ships it in the server package postgresql-15, not in postgresql-client; when
 * it is missing, apt-get installs postgresql-client and, if that did not bring it, postgresql-NN of
 * the same major version (as root, or through sudo that needs no password); otherwise the run stops
 * and says how to get it. COUNTERSIGN_PGBENCH may name a pgbench binary.
 */
final class PgBench {

    /** What a run measured; failed counts transactions pgbench reported as failed. */
    record Result(double tps, double latencyAverageMs, long transactions, long failed, String output) {
    }

    /** Where and as whom to connect, from the JDBC URL the services use. */
    record Target(String host, int port, String database, String user, String password) {

        static Target fromJdbc(String jdbcUrl, String user, String password) {
            URI uri = URI.create(jdbcUrl.replaceFirst("^jdbc:", ""));
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
                throw new StackException("pgbench needs one host and a database in the JDBC URL, not " + jdbcUrl);
            }
            return new Target(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), uri.getPath().substring(1), user, password);
        }
    }

    private static final Pattern TPS = Pattern.compile("(?m)^tps = ([0-9.]+) \\((without|excluding) ");
    private static final Pattern PROCESSED = Pattern.compile("(?m)^number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("(?m)^number of failed transactions: (\\d+)");
    private static final Pattern LATENCY = Pattern.compile("(?m)^latency average = ([0-9.]+) ms");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(\\.\\d+)?");

    private final Path binary;

    private PgBench(Path binary) {
        this.binary = binary;
    }

    /** The pgbench of this machine, installed first when it is missing and this user may install it. */
    static PgBench locateOrInstall(Map<String, String> env, Consumer<String> progress) {
        Optional<Path> found = locate(env);
        if (found.isPresent()) {
            return new PgBench(found.get());
        }
        String how = "install PostgreSQL's pgbench (on Debian: apt-get install postgresql-client, and where that does not"
                + " bring pgbench, as on Debian 12, apt-get install postgresql-NN), or set COUNTERSIGN_PGBENCH to a pgbench binary";
        AptGet apt = AptGet.forMissing("pgbench", how);
        progress.accept("pgbench is missing: installing it with apt-get");
        apt.run("update", "-qq");
        apt.run("install", "-y", "-qq", "postgresql-client");
        found = locate(env);
        if (found.isEmpty()) {
            // Debian 12 ships pgbench with the server package of the client's major version.
            Optional<String> major = installedMajors().stream().findFirst();
            if (major.isPresent()) {
                progress.accept("pgbench is not in postgresql-client here: installing postgresql-" + major.get());
                apt.run("install", "-y", "-qq", "postgresql-" + major.get());
                found = locate(env);
            }
        }
        return new PgBench(found.orElseThrow(() -> new StackException("pgbench is still missing after apt-get: " + how)));
    }

    private static Optional<Path> locate(Map<String, String> env) {
        Optional<Path> configured = AptGet.configured(env, "COUNTERSIGN_PGBENCH");
        if (configured.isPresent()) {
            return configured;
        }
        // Debian keeps each major version apart; the newest is the closest to a recent server.
        for (String major : installedMajors()) {
            Path path = Path.of("/usr/lib/postgresql", major, "bin", "pgbench");
            if (Files.isExecutable(path)) {
                return Optional.of(path);
            }
        }
        return AptGet.onPath(env, "pgbench");
    }

    /** The major versions under /usr/lib/postgresql, newest first. */
    private static List<String> installedMajors() {
        List<String> majors = new ArrayList<>();
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "[0-9]*")) {
                dirs.forEach(d -> majors.add(d.getFileName().toString()));
            } catch (IOException e) {
                return majors;
            }
        }
        majors.sort(Comparator.comparingInt((String m) -> Integer.parseInt(m.replaceAll("\\D.*", ""))).reversed());
        return majors;
    }

    Path binary() {
        return binary;
    }

    /** For example "15.18". */
    String version() {
        Matcher m = VERSION.matcher(AptGet.output(List.of(binary.toString(), "--version")));
        return m.find() ? m.group(1) + (m.group(2) == null ? "" : m.group(2)) : "unknown";
    }

    /** The major version, or 0 when unknown. */
    int major() {
        String version = version();
        return version.matches("\\d+.*") ? Integer.parseInt(version.replaceAll("\\D.*", "")) : 0;
    }

    /**
     * Runs {@code script} for {@code seconds} with prepared statements and without pgbench's vacuum
     * (the script's tables are not its own).
     *
     * @param variables passed with -D, name=value
     */
    Result run(Target target, Path script, int clients, int threads, int seconds, List<String> variables) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-h", target.host(), "-p", Integer.toString(target.port()),
                "-U", target.user(), "-n", "-M", "prepared", "-c", Integer.toString(clients), "-j", Integer.toString(threads),
                "-T", Integer.toString(seconds), "-f", script.toString()));
        for (String variable : variables) {
            command.add("-D");
            command.add(variable);
        }
        command.add(target.database());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (target.password() != null && !target.password().isEmpty()) {
            builder.environment().put("PGPASSWORD", target.password());
        }
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        String out;
        int rc;
        try {
            Process process = builder.start();
            out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StackException("pgbench did not finish within " + (seconds + 60) + " s");
            }
            rc = process.exitValue();
        } catch (IOException e) {
            throw new StackException("Cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while pgbench ran");
        }
        Matcher tps = TPS.matcher(out);
        if (rc != 0 || !tps.find()) {
            throw new StackException("pgbench failed (exit " + rc + "):\n" + out.strip());
        }
        return new Result(Double.parseDouble(tps.group(1)), find(LATENCY, out).map(Double::parseDouble).orElse(Double.NaN),
                find(PROCESSED, out).map(Long::parseLong).orElse(0L), find(FAILED, out).map(Long::parseLong).orElse(0L), out);
    }

    private static Optional<String> find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
