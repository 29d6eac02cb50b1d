package org.countersign.launcher;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;

/**
 * Authenticated requests per second on the registration-service's whoami (RS256 verification, scope
 * check, JSON), beside the ceiling of the same load generator against a do-nothing HTTP server in
 * the same run, which is the most any endpoint could show on this machine with this client.
 */
final class WhoamiBenchmark implements BenchCommand.Benchmark {

    private static final int CONNECTIONS = 16;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration MEASURE = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "whoami";
    }

    @Override
    public String description() {
        return "authenticated GET /api/v1/whoami per second, beside this client's loopback HTTP ceiling";
    }

    @Override
    public Map<String, Object> run(Workspace workspace, Properties state) throws Exception {
        String token = DevTokens.mint(DevKeys.in(workspace.keys()).privateKey(), "bench", DevTokens.DEFAULT_DOMAIN,
                List.of("registration"), Duration.ofHours(1));
        String url = "http://127.0.0.1:" + state.getProperty("service.registration.port") + "/api/v1/whoami";
        ClosedLoop.Rate service = load(url, "Bearer " + token);

        // Without TCP_NODELAY the JDK server's two-packet answers stall on delayed ACKs (~40 ms each),
        // which would make the ceiling a measure of that stall instead of a ceiling.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer ceiling = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        byte[] body = "{\"service\":\"ceiling\"}".getBytes();
        ceiling.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        ExecutorService serverThreads = Executors.newFixedThreadPool(4);
        ceiling.setExecutor(serverThreads);
        ceiling.start();
        ClosedLoop.Rate limit;
        try {
            limit = load("http://127.0.0.1:" + ceiling.getAddress().getPort() + "/", null);
        } finally {
            ceiling.stop(0);
            serverThreads.shutdownNow();
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("connections", CONNECTIONS);
        figures.put("seconds measured", MEASURE.toSeconds());
        figures.put("whoami requests/s", Math.round(service.perSecond()));
        figures.put("whoami p50 ms", service.percentile(0.50));
        figures.put("whoami p99 ms", service.percentile(0.99));
        figures.put("whoami errors", service.errors());
        figures.put("ceiling requests/s (same client, empty server)", Math.round(limit.perSecond()));
        figures.put("whoami / ceiling", String.format(java.util.Locale.ROOT, "%.0f %%", 100 * service.perSecond() / limit.perSecond()));
        return figures;
    }

    private static ClosedLoop.Rate load(String url, String authorization) throws Exception {
        return ClosedLoop.run(CONNECTIONS, WARM_UP, MEASURE, () -> request(url, authorization));
    }

    /** One keep-alive request; HttpURLConnection pools the connection per thread. */
    private static boolean request(String url, String authorization) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
