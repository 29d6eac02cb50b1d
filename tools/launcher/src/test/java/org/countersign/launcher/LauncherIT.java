package org.countersign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;
import org.countersign.stack.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the launcher as a person does: up, call every service, down, up again on the same data,
 * and a launcher killed outright. Runs on free ports in a temporary data directory.
 */
@Order(1)
class LauncherIT {

    @TempDir
    Path dataDir;

    private final Map<String, String> env = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process launcher;

    @AfterEach
    void stop() throws Exception {
        if (launcher != null && launcher.isAlive()) {
            run("down");
        }
    }

    @Test
    void upDownUp_servicesAnswer_nothingLeftBehind_dataReused() throws Exception {
        env.put("COUNTERSIGN_DATA_DIR", dataDir.toString());
        List<Integer> ports = new ArrayList<>();
        for (String name : List.of("KAFKA", "KAFKA_CONTROLLER", "POSTGRES", "REDIS", "REGISTRATION", "PROVISIONING",
                "VISUAL_CODES", "OTP", "PUSH", "PORTAL")) {
            int port = Ports.free();
            ports.add(port);
            env.put("COUNTERSIGN_" + name + "_PORT", Integer.toString(port));
        }

        String output = up();
        assertTrue(output.contains("Countersign is up in"), output);
        String token = DevTokens.mint(DevKeys.in(dataDir.resolve("keys")).privateKey(), "it", "example.com",
                DevTokens.ALL_SCOPES, Duration.ofMinutes(30));
        for (ServiceSpec spec : ServiceSpec.ALL) {
            int port = Integer.parseInt(env.get(spec.portVariable()));
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
        int postgresPort = Integer.parseInt(env.get("COUNTERSIGN_POSTGRES_PORT"));
        sql(postgresPort, "CREATE TABLE public.kept (v text); INSERT INTO public.kept VALUES ('still here')");
        assertEquals(0, run("status"), "status says all is healthy");
        assertEventLoopsShareTheCores(readState());

        List<Long> pids = pidsOf(readState());
        assertEquals(0, run("down"));
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher exited");
        assertAllGone(pids, ports);
        assertEquals(3, run("status"), "status says nothing runs");

        up();
        assertEquals("still here", sql(postgresPort, "SELECT v FROM public.kept"));
        assertEquals(200, get(Integer.parseInt(env.get("COUNTERSIGN_OTP_PORT")), "/api/v1/whoami", token).statusCode(),
                "a token minted before the restart still works: the development key was kept");

        pids = pidsOf(readState());
        launcher.destroyForcibly();
        assertTrue(launcher.waitFor(10, TimeUnit.SECONDS));
        assertAllGone(pids, ports);
    }

    private String up() throws Exception {
        ProcessBuilder builder = command("up").redirectErrorStream(true);
        launcher = builder.start();
        StringBuilder output = new StringBuilder();
        BufferedReader reader = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        String line;
        while ((line = reader.readLine()) != null) {
            output.append(line).append('\n');
            if (line.startsWith("Logs:")) {
                Thread drain = new Thread(() -> {
                    try {
                        reader.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // The launcher went away.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return output.toString();
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        throw new AssertionError("The suite did not come up:\n" + output);
    }

    private int run(String command) throws Exception {
        Process process = command(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), command + " finished");
        return process.exitValue();
    }

    private ProcessBuilder command(String command) {
        Path jar = Path.of(System.getProperty("launcher.jar"));
        Path home = Path.of(System.getProperty("countersign.home"));
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertTrue(Files.exists(spec.jar(home)), spec.jar(home) + " is built before the launcher's tests run");
        }
        ProcessBuilder builder = new ProcessBuilder(UpCommand.javaBinary(), "-jar", jar.toString(), command);
        builder.environment().putAll(env);
        builder.environment().put("COUNTERSIGN_HOME", home.toString());
        return builder;
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
