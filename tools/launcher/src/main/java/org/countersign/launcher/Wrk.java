package org.countersign.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersign.stack.StackException;

/**
 * Debian's wrk, a load generator in C: the same POST again and again on many keep-alive connections,
 * at a cost per request far below a JVM client's, so that a rate it measures is the server's. When it
 * is missing, apt-get installs it (as root, or through sudo that needs no password); COUNTERSIGN_WRK
 * may name a binary.
 */
final class Wrk {

    /** What a run measured; errors are answers other than 2xx/3xx plus socket errors. */
    record Result(double perSecond, long requests, long errors, String output) {
    }

    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(?m)^\\s*(\\d+) requests in ");
    private static final Pattern NON_2XX = Pattern.compile("(?m)^\\s*Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile("(?m)^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Path binary;

    private Wrk(Path binary) {
        this.binary = binary;
    }

    static Wrk locateOrInstall(Map<String, String> env, Consumer<String> progress) {
        Optional<Path> found = locate(env);
        if (found.isPresent()) {
            return new Wrk(found.get());
        }
        String how = "install wrk (on Debian: apt-get install wrk), or set COUNTERSIGN_WRK to a wrk binary";
        AptGet apt = AptGet.forMissing("wrk", how);
        progress.accept("wrk is missing: installing it with apt-get");
        apt.run("update", "-qq");
        apt.run("install", "-y", "-qq", "wrk");
        return new Wrk(locate(env).orElseThrow(() -> new StackException("wrk is still missing after apt-get: " + how)));
    }

    private static Optional<Path> locate(Map<String, String> env) {
        Optional<Path> configured = AptGet.configured(env, "COUNTERSIGN_WRK");
        return configured.isPresent() ? configured : AptGet.onPath(env, "wrk");
    }

    /**
     * POSTs {@code body} as JSON to {@code url} with a bearer token, on {@code connections}
     * connections and {@code threads} threads, for {@code duration}.
     */
    Result post(String url, String authorization, String body, int threads, int connections, Duration duration) {
        Path script = null;
        try {
            script = Files.createTempFile("countersign-wrk-", ".lua");
            Files.writeString(script, "wrk.method = \"POST\"\n"
                    + "wrk.body = " + lua(body) + "\n"
                    + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                    + "wrk.headers[\"Authorization\"] = " + lua(authorization) + "\n");
            Process process = new ProcessBuilder(List.of(binary.toString(), "-t", Integer.toString(threads), "-c",
                    Integer.toString(connections), "-d", duration.toSeconds() + "s", "-s", script.toString(), url))
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StackException("wrk did not finish in time");
            }
            Matcher rate = RATE.matcher(out);
            if (process.exitValue() != 0 || !rate.find()) {
                throw new StackException("wrk failed (exit " + process.exitValue() + "):\n" + out.strip());
            }
            long errors = find(NON_2XX, out, 1);
            Matcher socket = SOCKET.matcher(out);
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(socket.group(g));
                }
            }
            return new Result(Double.parseDouble(rate.group(1)), find(REQUESTS, out, 1), errors, out);
        } catch (IOException e) {
            throw new StackException("Cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while wrk ran");
        } finally {
            if (script != null) {
                try {
                    Files.deleteIfExists(script);
                } catch (IOException e) {
                    // A temporary file left behind.
                }
            }
        }
    }

    private static long find(Pattern pattern, String text, int group) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.parseLong(m.group(group)) : 0;
    }

    /** A Lua long string literal that holds {@code text} as it is. */
    private static String lua(String text) {
        String level = "=";
        while (text.contains("]" + level + "]")) {
            level += "=";
        }
        return "[" + level + "[" + text + "]" + level + "]";
    }
}
