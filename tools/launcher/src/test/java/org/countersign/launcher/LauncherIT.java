package org.countersign.launcher;

import static org.countersign.launcher.Suite.dataDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;
import org.countersign.stack.Ports;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives the launcher as a person does: up (the suite the other system tests used), call every service,
 * down, up again on the same data, and a launcher killed outright. Runs last: it takes the shared suite
 * down and leaves nothing running.
 */
@ExtendWith(Suite.class)
@Order(Integer.MAX_VALUE)
class LauncherIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void upDownUp_servicesAnswer_nothingLeftBehind_dataReused() throws Exception {
        List<Integer> ports = Suite.PORTS.stream().map(Suite::port).toList();
        String output = Suite.firstUpOutput;
        assertTrue(output.contains("Countersign is up in"), output);
        String token = DevTokens.mint(DevKeys.in(dataDir.resolve("keys")).privateKey(), "it", "example.com",
                DevTokens.ALL_SCOPES, Duration.ofMinutes(30));
        for (ServiceSpec spec : ServiceSpec.ALL) {
            int port = Integer.parseInt(Suite.ENV.get(spec.portVariable()));
            if (spec.isPortal()) {
                HttpResponse<String> signIn = get(port, "/sign-in", null);
                assertEquals(200, signIn.statusCode(), "the portal's sign-in page");
                assertTrue(signIn.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
                assertTrue(output.contains("Portal: http://localhost:" + port), output);
                continue;
            }
            assertEquals(200, get(port, "/api/v1/whoami", token).statusCode(), spec.name());
            HttpResponse<String> anonymous = get(port, "/api/v1/whoami", null);
            assertEquals(401, anonymous.statusCode(), spec.name());
            assertEquals("application/problem+json", anonymous.headers().firstValue("Content-Type").orElse(""));
        }
        int postgresPort = Suite.port("POSTGRES");
        sql(postgresPort, "CREATE TABLE public.kept (v text); INSERT INTO public.kept VALUES ('still here')");
        assertEquals(0, run("status"), "status says all is healthy");
        assertEventLoopsShareTheCores(readState());

        List<Long> pids = pidsOf(readState());
        assertEquals(0, run("down"));
        assertTrue(Suite.launcher.waitFor(30, TimeUnit.SECONDS), "the launcher exited");
        assertAllGone(pids, ports);
        assertEquals(3, run("status"), "status says nothing runs");

        Suite.up();
        assertEquals("still here", sql(postgresPort, "SELECT v FROM public.kept"));
        assertEquals(200, get(Suite.port("OTP"), "/api/v1/whoami", token).statusCode(),
                "a token minted before the restart still works: the development key was kept");

        pids = pidsOf(readState());
        Suite.launcher.destroyForcibly();
        assertTrue(Suite.launcher.waitFor(10, TimeUnit.SECONDS));
        assertAllGone(pids, ports);
    }

    private int run(String command) throws Exception {
        Process process = Suite.command(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), command + " finished");
        return process.exitValue();
    }

    private Properties readState() throws IOException {
        Properties state = new Properties();
        try (var in = Files.newInputStream(dataDir.resolve("run/state.properties"))) {
            state.load(in);
        }
        return state;
    }

    private static List<Long> pidsOf(Properties state) {
        List<Long> pids = new ArrayList<>();
        for (String key : state.stringPropertyNames()) {
            if (key.endsWith(".pid") || key.equals("stack.pids") || key.equals("pid")) {
                for (String pid : state.getProperty(key).split(",")) {
                    pids.add(Long.parseLong(pid.trim()));
                }
            }
        }
        assertTrue(pids.size() >= 9, "the launcher, five services, the portal, Kafka and Redis are listed: " + pids);
        return pids;
    }

    /** Each service (and the portal) runs one event loop per two cores, not Quarkus's two per core: they share the machine. */
    private static void assertEventLoopsShareTheCores(Properties state) throws IOException {
        int expected = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        for (String key : state.stringPropertyNames()) {
            if (!key.endsWith(".pid") || !Files.isDirectory(Path.of("/proc/self/task"))) {
                continue;
            }
            int loops = 0;
            try (var tasks = Files.list(Path.of("/proc", state.getProperty(key).trim(), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    // Linux keeps 15 characters of a thread's name: "vert.x-eventloop-thread-0" is "vert.x-eventloo".
                    if (Files.readString(task.resolve("comm")).startsWith("vert.x-eventloo")) {
                        loops++;
                    }
                }
            }
            assertTrue(loops >= 1 && loops <= expected, key + " runs " + loops + " event loops; expected at most " + expected);
        }
    }

    private static void assertAllGone(List<Long> pids, List<Integer> ports) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && (pids.stream().anyMatch(LauncherIT::alive)
                || ports.stream().anyMatch(p -> Ports.isOpen("127.0.0.1", p)))) {
            Thread.sleep(200);
        }
        for (long pid : pids) {
            assertFalse(alive(pid), "process " + pid + " is gone");
        }
        for (int port : ports) {
            assertFalse(Ports.isOpen("127.0.0.1", port), "port " + port + " is free");
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sql(int port, String statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/countersign", "postgres", "");
             Statement s = c.createStatement()) {
            if (s.execute(statements)) {
                try (ResultSet rs = s.getResultSet()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
            return null;
        }
    }
}
