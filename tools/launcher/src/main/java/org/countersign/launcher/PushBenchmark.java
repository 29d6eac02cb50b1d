package org.countersign.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.countersign.events.Topics;
import org.countersign.protocol.DeviceToken;
import org.countersign.protocol.P256;
import org.countersign.protocol.PushDecision;
import org.countersign.protocol.PushResponseSignature;
import org.countersign.protocol.TransactionData;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;

/**
 * What one push-service holds and how fast a push goes through it (issue #17's goals: 50,000 device
 * connections in at most 1.5 GB of heap; p99 at most 50 ms at 1,000 pushes/s).
 *
 * <p>Devices: {@code connections} online devices, one user each, spread over a few domains so that the
 * default per-domain rate (500/s) is not what is measured. They are announced as the provisioning-service
 * announces them (AuthenticatorActivated on the activations topic: a P-256 key each, and one certificate
 * for all, since the push-service reads only its expiry), and their users are enabled in bulk. Each device
 * then holds a WebSocket channel from this process, spread over several loopback source addresses (one
 * address has about 28,000 ephemeral ports). The heap is read after a full GC ({@code jcmd GC.run}),
 * from the service's Prometheus metrics.
 *
 * <p>Latency, at {@code rate} pushes/s (an open loop: request k is due at start + k / rate): from the
 * app's create call to the device's receiving the request on its channel; and from the device's signed
 * answer (sent at once over the channel) to the app's long-poll returning "approved". Each request goes
 * to the next user in turn, so a user's request is answered long before the next one for the user.
 *
 * <p>Settings (environment): COUNTERSIGN_BENCH_PUSH_CONNECTIONS (50000), COUNTERSIGN_BENCH_PUSH_RATE
 * (1000), COUNTERSIGN_BENCH_PUSH_SECONDS (10, after 3 s of warm-up). The suite must allow that many
 * open files: {@code ulimit -n 200000} before {@code ./countersign up}, and a heap to match
 * ({@code COUNTERSIGN_JAVA_OPTS="-Xmx1536m"}); the figures say when either stood in the way.
 */
final class PushBenchmark implements BenchCommand.Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GOAL_CONNECTIONS = 50_000;
    private static final long GOAL_HEAP_MB = 1_536;
    private static final int GOAL_RATE = 1_000;
    private static final double GOAL_P99_MS = 50;
    private static final int PER_SOURCE_ADDRESS = 25_000;
    private static final int DOMAIN_RATE = 400;
    private static final Duration WARM_UP = Duration.ofSeconds(3);

    @Override
    public String name() {
        return "push";
    }

    @Override
    public String description() {
        return "device connections one push-service holds and its heap; create->device and answer->app latency at a rate";
    }

    /** One simulated device: its key, its user, and the time its user's request was sent. */
    private static final class Device {
        final int index;
        final String iid;
        final String domain;
        final String user;
        final KeyPair keys;
        volatile WebSocket socket;
        /** The request on the device's screen, and the number the app shows for it: the device answers once it has both. */
        private JsonNode shown;
        private String createdId;
        private Integer display;

        Device(int index, String run, int domains) {
            this.index = index;
            this.iid = "bench-" + run + "-" + index;
            this.domain = "bench-push-" + run + "-" + (index % domains) + ".example";
            this.user = "u" + index;
            this.keys = P256.generateKeyPair();
        }
    }

    @Override
    public Map<String, Object> run(Workspace workspace, Properties state) throws Exception {
        Map<String, String> env = workspace.env();
        int connections = Integer.parseInt(env.getOrDefault("COUNTERSIGN_BENCH_PUSH_CONNECTIONS", Integer.toString(GOAL_CONNECTIONS)));
        int rate = Integer.parseInt(env.getOrDefault("COUNTERSIGN_BENCH_PUSH_RATE", Integer.toString(GOAL_RATE)));
        Duration measure = Duration.ofSeconds(Long.parseLong(env.getOrDefault("COUNTERSIGN_BENCH_PUSH_SECONDS", "10")));
        int port = Integer.parseInt(state.getProperty("service.push.port"));
        String base = "http://127.0.0.1:" + port;
        long pid = Long.parseLong(state.getProperty("service.push.pid"));
        String run = Long.toString(System.currentTimeMillis() % 100_000_000, 36);
        int domains = Math.min(connections, Math.max(1, (rate + DOMAIN_RATE - 1) / DOMAIN_RATE));
        Map<String, Object> figures = new LinkedHashMap<>();

        progress("making " + connections + " device keys");
        Device[] devices = new Device[connections];
        for (int i = 0; i < connections; i++) {
            devices[i] = new Device(i, run, domains);
        }
        progress("announcing the devices on " + Topics.ACTIVATIONS + " and enabling their users");
        announce(state.getProperty("kafka"), devices, certificate());
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient app = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(256).setKeepAlive(true)
                    .setDefaultHost("127.0.0.1").setDefaultPort(port));
            Map<String, String> tokens = new LinkedHashMap<>();
            for (int d = 0; d < domains; d++) {
                String domain = devices[d].domain;
                tokens.put(domain, "Bearer " + DevTokens.mint(DevKeys.in(workspace.keys()).privateKey(), "bench", domain,
                        List.of("push", "admin"), Duration.ofHours(1)));
            }
            enableUsers(app, devices, tokens);

            // The channels.
            progress("opening " + connections + " channels");
            long before = heapAfterGc(pid, state);
            AtomicLongArray createSent = new AtomicLongArray(connections);
            ConcurrentLinkedQueue<Double> toDevice = new ConcurrentLinkedQueue<>();
            Map<String, Long> answerSent = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger open = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            String firstFailure = connect(vertx, port, devices, createSent, toDevice, answerSent, open, failed);
            long after = heapAfterGc(pid, state);
            figures.put("channels open / asked for (goal " + GOAL_CONNECTIONS + ")", open.get() + " / " + connections
                    + (failed.get() > 0 ? "  (" + failed.get() + " failed: " + firstFailure + ")" : ""));
            figures.put("push-service heap after GC, MB: idle -> with the channels (goal <= " + GOAL_HEAP_MB + " at "
                    + GOAL_CONNECTIONS + ")", before / (1 << 20) + " -> " + after / (1 << 20));
            figures.put("heap per channel, KB", open.get() == 0 ? "-" : String.format(Locale.ROOT, "%.1f",
                    (after - before) / 1024.0 / open.get()));
            figures.put("heap at " + GOAL_CONNECTIONS + " channels, MB (extrapolated)", open.get() == 0 ? "-"
                    : Long.toString((before + (after - before) * GOAL_CONNECTIONS / open.get()) / (1 << 20)));

            // The pushes.
            progress("pushing at " + rate + "/s for " + WARM_UP.toSeconds() + " + " + measure.toSeconds() + " s");
            ConcurrentLinkedQueue<Double> toApp = new ConcurrentLinkedQueue<>();
            AtomicLong errors = new AtomicLong();
            AtomicInteger measuredCreates = new AtomicInteger();
            pushes(app, devices, tokens, rate, measure, createSent, toDevice, answerSent, toApp, errors, measuredCreates, open.get());
            double[] device = sorted(toDevice);
            double[] answer = sorted(toApp);
            figures.put("pushes measured at " + rate + "/s (goal rate " + GOAL_RATE + "/s)", measuredCreates.get() + " in "
                    + measure.toSeconds() + " s, " + errors.get() + " failed");
            figures.put("create -> device, ms p50 / p99 (goal p99 <= " + (int) GOAL_P99_MS + ")", percentile(device, 0.50) + " / "
                    + percentile(device, 0.99));
            figures.put("answer -> app's long-poll, ms p50 / p99 (goal p99 <= " + (int) GOAL_P99_MS + ")", percentile(answer, 0.50)
                    + " / " + percentile(answer, 0.99));
            for (Device d : devices) {
                if (d.socket != null) {
                    d.socket.close();
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return figures;
    }

    /** AuthenticatorActivated (mode online) for each device, as the provisioning-service would publish it. */
    private static void announce(String kafka, Device[] devices, String certificate) throws Exception {
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY), false);
        Map<String, Object> config = Map.of("bootstrap.servers", kafka, "linger.ms", 20, "acks", "all");
        Instant now = Instant.now();
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
            for (Device d : devices) {
                String key = Base64.getUrlEncoder().withoutPadding().encodeToString(P256.encodeSpki((ECPublicKey) d.keys.getPublic()));
                String data = "{\"registrationId\":\"bench-" + d.iid + "\",\"instanceId\":\"" + d.iid + "\",\"userId\":\"" + d.user
                        + "\",\"domain\":\"" + d.domain + "\",\"serialNumber\":\"SN-" + d.iid + "\",\"mode\":\"online\","
                        + "\"otp\":\"totp:sha1:6:30\",\"publicKey\":\"" + key + "\",\"certificate\":\"" + certificate
                        + "\",\"platform\":\"web\",\"biometric\":true,\"activatedAt\":\"" + now + "\"}";
                CloudEvent event = CloudEventBuilder.v1().withId(UUID.randomUUID().toString())
                        .withSource(URI.create("/countersign/provisioning-service"))
                        .withType("org.countersign.activation.authenticator-activated.v1")
                        .withTime(now.atOffset(java.time.ZoneOffset.UTC))
                        .withDataContentType("application/json").withData(data.getBytes(StandardCharsets.UTF_8)).build();
                producer.send(new ProducerRecord<>(Topics.ACTIVATIONS, d.user + "@" + d.domain, event));
            }
            producer.flush();
        }
    }

    /** One self-signed certificate, valid for a year: the push-service reads only its expiry. */
    private static String certificate() throws Exception {
        KeyPair ca = P256.generateKeyPair();
        X500Name name = new X500Name("CN=countersign-bench");
        var holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(365))), name, ca.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(holder.getEncoded());
    }

    private static void enableUsers(HttpClient app, Device[] devices, Map<String, String> tokens) throws Exception {
        for (Map.Entry<String, String> domain : tokens.entrySet()) {
            List<String> users = Arrays.stream(devices).filter(d -> d.domain.equals(domain.getKey())).map(d -> d.user).toList();
            for (int from = 0; from < users.size(); from += 10_000) {
                String body = JSON.writeValueAsString(Map.of("enabled", true, "userIds", users.subList(from, Math.min(users.size(),
                        from + 10_000))));
                JsonNode job = JSON.readTree(call(app, HttpMethod.POST, "/api/v1/push/users/bulk", domain.getValue(), body, 202));
                String status = "running";
                Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
                while (!"done".equals(status) && Instant.now().isBefore(deadline)) {
                    Thread.sleep(500);
                    status = JSON.readTree(call(app, HttpMethod.GET, "/api/v1/push/users/bulk/" + job.path("jobId").asText(),
                            domain.getValue(), null, 200)).path("status").asText();
                }
            }
        }
    }

    /** Opens every device's channel; answers each push request at once, signed, over it. Returns the first failure, if any. */
    private static String connect(Vertx vertx, int port, Device[] devices, AtomicLongArray createSent, ConcurrentLinkedQueue<Double> toDevice,
                                  Map<String, Long> answerSent, AtomicInteger open, AtomicInteger failed) throws Exception {
        int sources = (devices.length + PER_SOURCE_ADDRESS - 1) / PER_SOURCE_ADDRESS;
        List<WebSocketClient> clients = new ArrayList<>();
        for (int s = 0; s < sources; s++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress("127.0.0." + (s + 1))
                    .setMaxConnections(PER_SOURCE_ADDRESS + 1).setConnectTimeout(60_000)));
        }
        StringBuilder firstFailure = new StringBuilder();
        CountDownLatch done = new CountDownLatch(devices.length);
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(256);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        for (Device d : devices) {
            inFlight.acquire();
            open(vertx, clients.get(d.index / PER_SOURCE_ADDRESS), port, d, deadline, failure -> {
                inFlight.release();
                if (failure == null) {
                    open.incrementAndGet();
                    d.socket.textMessageHandler(text -> onMessage(d, text, createSent, toDevice, answerSent));
                } else {
                    failed.incrementAndGet();
                    synchronized (firstFailure) {
                        if (firstFailure.isEmpty()) {
                            firstFailure.append(failure.getClass().getSimpleName()).append(": ").append(failure.getMessage());
                        }
                    }
                }
                done.countDown();
            });
        }
        done.await(30, TimeUnit.MINUTES);
        Thread.sleep(2_000);
        return firstFailure.toString();
    }

    /**
     * Opens one channel with a fresh device token. A 401 means the push-service has not read the device's
     * activation yet (the topic's partitions are read in no global order): it is tried again until the deadline.
     */
    private static void open(Vertx vertx, WebSocketClient client, int port, Device d, long deadline,
                             java.util.function.Consumer<Throwable> outcome) {
        long iat = Instant.now().getEpochSecond();
        String token = DeviceToken.sign(d.keys.getPrivate(), d.iid, DeviceToken.PUSH_AUDIENCE, iat, iat + 300, DeviceToken.newJti());
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/api/v1/devices/channel").addHeader("Authorization", "Bearer " + token);
        client.connect(options).onComplete(result -> {
            if (result.succeeded()) {
                d.socket = result.result();
                outcome.accept(null);
            } else if (result.cause() instanceof io.vertx.core.http.UpgradeRejectedException rejected && rejected.getStatus() == 401
                    && System.nanoTime() < deadline) {
                vertx.setTimer(500, id -> open(vertx, client, port, d, deadline, outcome));
            } else {
                outcome.accept(result.cause());
            }
        });
    }

    private static void onMessage(Device d, String text, AtomicLongArray createSent, ConcurrentLinkedQueue<Double> toDevice,
                                  Map<String, Long> answerSent) {
        long now = System.nanoTime();
        if (!text.contains("\"push-request\"")) {
            return;
        }
        try {
            JsonNode request = JSON.readTree(text);
            long sent = createSent.getAndSet(d.index, 0);
            if (sent != 0) {
                toDevice.add((now - sent) / 1e6);
            }
            synchronized (d) {
                d.shown = request;
            }
            answerWhenReady(d, answerSent);
        } catch (Exception e) {
            // counted by the app's side: its long-poll does not see approved
        }
    }

    /** The person picks the app's number: the device answers once it shows the request and the app has its number. */
    private static void answerWhenReady(Device d, Map<String, Long> answerSent) {
        JsonNode request;
        Integer number;
        synchronized (d) {
            if (d.shown == null || d.createdId == null || !d.createdId.equals(d.shown.path("requestId").asText())) {
                return;
            }
            request = d.shown;
            number = d.display;
            d.shown = null;
            d.createdId = null;
            d.display = null;
        }
        try {
            List<org.countersign.protocol.TransactionField> fields = new ArrayList<>();
            for (JsonNode field : request.path("fields")) {
                fields.add(new org.countersign.protocol.TransactionField(field.path("name").asText(), field.path("value").asText()));
            }
            String dataHash = new TransactionData(request.path("message").asText(), fields).dataHash();
            String requestId = request.path("requestId").asText();
            String signature = PushResponseSignature.sign(d.keys.getPrivate(), requestId, request.path("challenge").asText(), dataHash,
                    PushDecision.APPROVE, number, d.iid);
            answerSent.put(requestId, System.nanoTime());
            d.socket.writeTextMessage("{\"type\":\"push-response\",\"requestId\":\"" + requestId + "\",\"decision\":\"approve\""
                    + (number == null ? "" : ",\"selectedNumber\":" + number) + ",\"signature\":\"" + signature + "\"}");
        } catch (Exception e) {
            // counted by the app's side: its long-poll does not see approved
        }
    }

    /** The open loop: request k at start + k / rate to the next connected user; its long-poll waits for the answer. */
    private static void pushes(HttpClient app, Device[] devices, Map<String, String> tokens, int rate, Duration measure,
                               AtomicLongArray createSent, ConcurrentLinkedQueue<Double> toDevice, Map<String, Long> answerSent,
                               ConcurrentLinkedQueue<Double> toApp, AtomicLong errors, AtomicInteger measuredCreates, int open)
            throws Exception {
        List<Device> connected = Arrays.stream(devices).filter(d -> d.socket != null).toList();
        if (connected.isEmpty()) {
            return;
        }
        long interval = Math.round(1e9 / rate);
        long start = System.nanoTime() + 50_000_000L;
        long windowStart = start + WARM_UP.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (long k = 0; ; k++) {
            long due = start + k * interval;
            if (due >= windowEnd) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Device d = connected.get((int) (k % connected.size()));
            boolean measured = due >= windowStart;
            if (measured) {
                measuredCreates.incrementAndGet();
            }
            createSent.set(d.index, measured ? due : 0);
            String token = tokens.get(d.domain);
            CompletableFuture<Void> one = new CompletableFuture<>();
            all.add(one);
            String body = "{\"userId\":\"" + d.user + "\",\"message\":\"Sign in to Example Bank\",\"fields\":[{\"name\":\"Browser\","
                    + "\"value\":\"Firefox\"}]}";
            request(app, HttpMethod.POST, "/api/v1/push/requests", token, body).onComplete(created -> {
                if (created.failed() || created.result().status != 201) {
                    errors.incrementAndGet();
                    one.complete(null);
                    return;
                }
                String requestId = created.result().json.path("requestId").asText();
                synchronized (d) {
                    d.createdId = requestId;
                    d.display = created.result().json.has("displayNumber") ? created.result().json.path("displayNumber").asInt() : null;
                }
                answerWhenReady(d, answerSent);
                request(app, HttpMethod.GET, "/api/v1/push/requests/" + requestId + "?wait=30", token, null).onComplete(polled -> {
                    long now = System.nanoTime();
                    Long answered = answerSent.remove(requestId);
                    if (polled.failed() || !"approved".equals(polled.result().json.path("status").asText())) {
                        errors.incrementAndGet();
                    } else if (measured && answered != null) {
                        toApp.add((now - answered) / 1e6);
                    }
                    one.complete(null);
                });
            });
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }

    private record Answer(int status, JsonNode json) {
    }

    private static io.vertx.core.Future<Answer> request(HttpClient app, HttpMethod method, String path, String token, String body) {
        return app.request(new RequestOptions().setMethod(method).setURI(path).putHeader("Authorization", token)
                        .putHeader("Content-Type", "application/json"))
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(buffer -> {
                    try {
                        return new Answer(response.statusCode(), JSON.readTree(buffer.getBytes()));
                    } catch (Exception e) {
                        return new Answer(response.statusCode(), JSON.createObjectNode());
                    }
                }));
    }

    private static String call(HttpClient app, HttpMethod method, String path, String token, String body, int expected) throws Exception {
        Answer answer = request(app, method, path, token, body).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (answer.status != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + answer.status + ": " + answer.json);
        }
        return answer.json.toString();
    }

    /** The service's heap in use after a full GC: jcmd GC.run, then its Prometheus metrics. */
    private static long heapAfterGc(long pid, Properties state) throws Exception {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true).start();
        gc.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        gc.waitFor(60, TimeUnit.SECONDS);
        String metrics = ServiceMetrics.read(Integer.parseInt(state.getProperty("service.push.management-port")));
        if (metrics == null) {
            throw new IllegalStateException("push-service's metrics could not be read");
        }
        return (long) ServiceMetrics.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
    }

    private static double[] sorted(ConcurrentLinkedQueue<Double> samples) {
        double[] values = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(values);
        return values;
    }

    private static String percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return "-";
        }
        double value = sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static void progress(String what) {
        System.err.println("bench push: " + what + "...");
    }
}
