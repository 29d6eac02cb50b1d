package org.countersign.launcher;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
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
        Result service = load(url, "Bearer " + token);

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
        Result limit;
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

    private record Result(long requests, long errors, double seconds, double[] latenciesMs) {
        double perSecond() {
            return requests / seconds;
        }

        double percentile(double p) {
            if (latenciesMs.length == 0) {
                return 0;
            }
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            return Math.round(sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 100) / 100.0;
        }
    }

    private static Result load(String url, String authorization) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        ExecutorService workers = Executors.newFixedThreadPool(CONNECTIONS);
        long[] counts = new long[CONNECTIONS * 2];
        double[][] samples = new double[CONNECTIONS][];
        Future<?>[] futures = new Future<?>[CONNECTIONS];
        for (int w = 0; w < CONNECTIONS; w++) {
            int worker = w;
            futures[w] = workers.submit(() -> {
                double[] latencies = new double[1 << 16];
                int n = 0;
                while (!stop.get()) {
                    long start = System.nanoTime();
                    boolean ok = request(url, authorization);
                    if (measuring.get()) {
                        counts[worker * 2 + (ok ? 0 : 1)]++;
                        latencies[n++ & 0xFFFF] = (System.nanoTime() - start) / 1e6;
                    }
                }
                samples[worker] = Arrays.copyOf(latencies, Math.min(n, latencies.length));
                return null;
            });
        }
        Thread.sleep(WARM_UP.toMillis());
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(MEASURE.toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Future<?> future : futures) {
            future.get();
        }
        workers.shutdown();
        long ok = 0;
        long errors = 0;
        for (int w = 0; w < CONNECTIONS; w++) {
            ok += counts[w * 2];
            errors += counts[w * 2 + 1];
        }
        double[] all = Arrays.stream(samples).flatMapToDouble(Arrays::stream).toArray();
        return new Result(ok, errors, seconds, all);
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
