package org.countersign.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;
import org.countersign.visualcodes.codec.CodeFormat;
import org.countersign.visualcodes.codec.Ecc;
import org.countersign.visualcodes.codec.PngWriter;
import org.countersign.visualcodes.codec.VisualCodeEncoder;

/**
 * Images per second from the visual-codes-service over HTTP (many connections, bearer token, JSON
 * in, PNG out) beside the same images encoded in this process with no HTTP, on every core: how much
 * of the codec's own speed the service delivers. Over HTTP it is measured twice: with this JVM's
 * client, and with wrk (Debian's, installed when missing), whose own cost per request is small enough
 * that its figure is the service's; the goal is set on wrk's. Activation message 1 is drawn as a QR code and
 * activation message 2 as a colour code, as registration and provisioning show them.
 */
final class VisualCodesBenchmark implements BenchCommand.Benchmark {

    private static final int CONNECTIONS = 32;
    private static final Duration WARM_UP = Duration.ofSeconds(4);
    private static final Duration MEASURE = Duration.ofSeconds(8);
    private static final int SIZE = 400;
    private static final int MARGIN = 4;
    static final String ACTIVATION_1 = "countersign://activate?v=1&sn=SN-0001234567&rid=3f1c2a9e-8d4b-4f6a-9c1e-2b7d5e8a0f13"
            + "&ap=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&iss=Example%20Bank&acct=alice%40example.com";
    static final String ACTIVATION_2 = "countersign://activate2?v=1&rid=3f1c2a9e-8d4b-4f6a-9c1e-2b7d5e8a0f13"
            + "&iid=9b2e4c6a-1d3f-4e5a-8b7c-0f1e2d3c4b5a&sn=SN-0001234567&otp=totp:sha1:6:30"
            + "&n=q83vEjRWeJq83vEjRWeJqw&c=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4";

    private record Image(String label, String message, CodeFormat format) {
    }

    @Override
    public String name() {
        return "visual-codes";
    }

    @Override
    public String description() {
        return "QR and colour PNGs per second over HTTP, beside the in-process encode rate of the same images";
    }

    @Override
    public Map<String, Object> run(Workspace workspace, Properties state) throws Exception {
        String token = "Bearer " + DevTokens.mint(DevKeys.in(workspace.keys()).privateKey(), "bench",
                DevTokens.DEFAULT_DOMAIN, List.of("visual-codes"), Duration.ofHours(1));
        String url = "http://127.0.0.1:" + state.getProperty("service.visual-codes.port") + "/api/v1/visual-codes";
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("connections (HTTP) / threads (in-process)", CONNECTIONS + " / " + cores);
        figures.put("seconds measured, each", MEASURE.toSeconds());
        figures.put("image", SIZE + " px PNG, ECC M, margin " + MARGIN);
        Wrk wrk = Wrk.locateOrInstall(workspace.env(), message -> System.err.println(message));
        double httpTotal = 0;
        double wrkTotal = 0;
        double localTotal = 0;
        for (Image image : List.of(new Image("activation 1 as QR", ACTIVATION_1, CodeFormat.QR),
                new Image("activation 2 as colour", ACTIVATION_2, CodeFormat.COLOUR))) {
            byte[] expected = encode(image);
            byte[] body = json(image).getBytes(StandardCharsets.UTF_8);
            byte[] served = post(url, token, body);
            if (!Arrays.equals(expected, served)) {
                throw new IllegalStateException("The service draws " + image.label() + " differently from the codec "
                        + "in this launcher: rebuild both before comparing them");
            }
            ClosedLoop.Rate http = measure(CONNECTIONS, () -> Arrays.equals(expected, post(url, token, body)));
            String json = json(image);
            String warmUp = warmUp(wrk, url, token, json, cores, state);
            Wrk.Result light = wrk.post(url, token, json, cores, CONNECTIONS, MEASURE);
            // The encoder in this JVM is given the same chance as the service: measured once its JIT is quiet.
            JitWarmUp localJit = new JitWarmUp(ProcessHandle.current().pid(), WARM_UP, Duration.ofSeconds(60));
            ClosedLoop.Rate local = ClosedLoop.run(cores, localJit, MEASURE, () -> encode(image).length == expected.length,
                    ClosedLoop.NO_WINDOW);
            figures.put(image.label() + ": in-process warm-up", localJit.warmUp());
            httpTotal += http.perSecond();
            wrkTotal += light.perSecond();
            localTotal += local.perSecond();
            figures.put(image.label() + ": HTTP images/s (Java client)", Math.round(http.perSecond()));
            figures.put(image.label() + ": HTTP errors (Java client)", http.errors());
            figures.put(image.label() + ": wrk warm-up", warmUp);
            figures.put(image.label() + ": HTTP images/s (wrk)", Math.round(light.perSecond()));
            figures.put(image.label() + ": HTTP errors (wrk)", light.errors());
            figures.put(image.label() + ": in-process images/s", Math.round(local.perSecond()));
            figures.put(image.label() + ": HTTP (wrk) / in-process", percent(light.perSecond() / local.perSecond()));
        }
        figures.put("both: HTTP (Java client) / in-process", percent(httpTotal / localTotal));
        figures.put("both: HTTP (wrk) / in-process (goal >= 70 %)", percent(wrkTotal / localTotal));
        return figures;
    }

    /**
     * wrk's load, in short runs, for at least {@link #WARM_UP} and then until the service's JIT
     * compiler goes quiet (at most a minute), as bench otp waits: a window opened while C2 still
     * compiles measures the compiler.
     */
    private static String warmUp(Wrk wrk, String url, String token, String json, int cores, Properties state)
            throws InterruptedException {
        String pid = state.getProperty("service.visual-codes.pid");
        JitWarmUp jit = new JitWarmUp(pid == null || pid.isBlank() ? null : Long.parseLong(pid.trim()), WARM_UP,
                Duration.ofSeconds(60));
        java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread load = new Thread(() -> {
            while (loading.get()) {
                wrk.post(url, token, json, cores, CONNECTIONS, Duration.ofSeconds(2));
            }
        }, "wrk-warm-up");
        load.start();
        try {
            jit.await();
        } finally {
            loading.set(false);
            load.join();
        }
        return jit.warmUp();
    }

    private static byte[] encode(Image image) throws Exception {
        return PngWriter.write(VisualCodeEncoder.encode(image.message().getBytes(StandardCharsets.UTF_8), image.format(),
                Ecc.M, MARGIN), SIZE);
    }

    private static String json(Image image) {
        return "{\"message\":\"" + image.message().replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"format\":\""
                + image.format().name().toLowerCase(Locale.ROOT) + "\",\"output\":\"png\",\"size\":" + SIZE
                + ",\"ecc\":\"M\",\"margin\":" + MARGIN + "}";
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * ratio);
    }

    private static ClosedLoop.Rate measure(int threads, Callable<Boolean> task) throws Exception {
        return ClosedLoop.run(threads, WARM_UP, MEASURE, task);
    }

    /** One keep-alive POST; HttpURLConnection pools the connection per thread. */
    private static byte[] post(String url, String authorization, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        connection.setRequestProperty("Authorization", authorization);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            return bytes;
        }
    }
}
