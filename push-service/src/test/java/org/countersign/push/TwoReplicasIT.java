package org.countersign.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.countersign.events.Topics;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.stack.EmbeddedStack;
import org.countersign.stack.Ports;
import org.countersign.testing.SharedStack;
import org.countersign.testing.TestEvents;
import org.countersign.testing.TestStack;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two push-service replicas, each the packaged application in a process of its own, sharing one
 * PostgreSQL, Kafka and Redis: a request created on one reaches a device connected to the other, the
 * answer given on one wakes a long-poll and an SSE stream on the other, a device that is not connected
 * is woken through FCM (the loopback fake), and a bulk job accepted by a replica that dies is finished by
 * that replica restarted.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DOMAIN = TestTokens.DOMAIN;
    private static final List<Process> PROCESSES = new ArrayList<>();
    private static final ProviderFakes FAKES = new ProviderFakes();
    private static Map<String, String> env;
    private static String prefix;
    private static String a;
    private static String b;
    private static Process replicaA;

    @BeforeAll
    static void start() throws Exception {
        TestStack stack = SharedStack.get();
        String database = "it_push_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        stack.createDatabase(database);
        prefix = "it" + database.substring(8) + ".";
        env = new java.util.HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", stack.postgresReactiveUrl(database));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", stack.postgresJdbcUrl(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", EmbeddedStack.POSTGRES_USER);
        env.put("QUARKUS_REDIS_HOSTS", stack.redisUri());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", SharedStack.keys().publicKey().toUri().toString());
        env.put("COUNTERSIGN_EVENTS_TOPIC_PREFIX", prefix);
        // A bulk job waits for the replica restarted below; the other replica would otherwise take it over at once.
        env.put("COUNTERSIGN_PUSH_BULK_POLL_INTERVAL", "1h");
        FAKES.start().forEach((key, value) -> env.put(key.toUpperCase().replace('.', '_').replace('-', '_'), value));
        // Both start at once, as a rollout starts them: Flyway's lock and the topic creation meet a concurrent start.
        replicaA = launch("a", Map.of());
        Process replicaB = launch("b", Map.of());
        awaitReady(replicaA, "a");
        awaitReady(replicaB, "b");
        a = url(replicaA);
        b = url(replicaB);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process process : PROCESSES) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        FAKES.stop();
    }

    private static final Map<Process, String> URLS = new java.util.HashMap<>();

    private static String url(Process process) {
        return URLS.get(process);
    }

    private static Process replica(String name, Map<String, String> extra) throws Exception {
        return awaitReady(launch(name, extra), name);
    }

    private static Process launch(String name, Map<String, String> extra) throws Exception {
        int port = Ports.free();
        Path log = log(name);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", System.getProperty("push.jar",
                "target/quarkus-app/quarkus-run.jar")).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().putAll(extra);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Process process = builder.start();
        PROCESSES.add(process);
        URLS.put(process, "http://127.0.0.1:" + port);
        return process;
    }

    private static Path log(String replica) {
        return Path.of("target", "replica-" + replica + ".log");
    }

    private static Process awaitReady(Process process, String name) throws Exception {
        String base = URLS.get(process);
        awaitTrue(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("replica " + name + " exited: " + Files.readString(log(name)));
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }, "replica " + name + " is ready", 90);
        return process;
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void requestOnOneReplica_reachesADeviceOnTheOther_andTheAnswerReachesTheAppOnBoth() throws Exception {
        String user = "it-" + UUID.randomUUID().toString().substring(0, 8);
        TestDevice phone = device(user, "web", null);
        String fcmToken = "ok-it-" + UUID.randomUUID();
        device(user, "android", fcmToken);
        enable(user);

        try (ChannelClient channel = ChannelClient.connect(a, phone.bearer(Instant.now()))) {
            channel.next("welcome");
            awaitTrue(() -> listed(b, user).findValuesAsText("connected").contains("true"), "B sees the device connected on A", 20);

            JsonNode created = send(b, "POST", "/api/v1/push/requests", "{\"userId\":\"" + user + "\",\"message\":\"Sign in\"}", 201);
            String id = created.path("requestId").asText();
            JsonNode request = channel.next("push-request");
            assertEquals(id, request.path("requestId").asText());
            // The Android device has no channel: FCM (the fake) wakes it, with nothing about the user.
            awaitTrue(() -> !ProviderFakes.receivedFor(fcmToken).isEmpty(), "B wakes the Android device through FCM", 20);
            assertTrue(ProviderFakes.receivedFor(fcmToken).stream().noneMatch(r -> r.body().contains(user)
                    || r.body().contains("Sign in")), "a wake-up carries no user data");

            CompletableFuture<JsonNode> longPoll = CompletableFuture.supplyAsync(() -> {
                try {
                    return send(b, "GET", "/api/v1/push/requests/" + id + "?wait=30", null, 200);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            HttpResponse<java.util.stream.Stream<String>> sse = HTTP.send(HttpRequest.newBuilder(URI.create(b
                    + "/api/v1/push/requests/" + id + "/events")).header("Authorization", TestTokens.bearer(DOMAIN, "push")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            java.util.Iterator<String> lines = sse.body().iterator();
            assertEquals("pending", nextData(lines).path("status").asText());
            Thread.sleep(300);

            int display = created.path("displayNumber").asInt();
            String hash = PushTestBase.dataHash(request);
            channel.send("{\"type\":\"push-response\",\"requestId\":\"" + id + "\",\"decision\":\"approve\",\"selectedNumber\":" + display
                    + ",\"signature\":\"" + phone.sign(id, request.path("challenge").asText(), hash, "approve", display) + "\"}");
            assertEquals("approved", channel.next("push-response-result").path("status").asText());
            assertEquals("approved", longPoll.get(30, TimeUnit.SECONDS).path("status").asText(), "B's long-poll woke up");
            JsonNode streamed = nextData(lines);
            while ("pending".equals(streamed.path("status").asText())) {
                streamed = nextData(lines);
            }
            assertEquals("approved", streamed.path("status").asText(), "B's stream got it");
            assertEquals(phone.iid(), send(a, "GET", "/api/v1/push/requests/" + id, null, 200).path("instanceId").asText());
        }

        // By polling, with no channel: created on A, polled and answered on B.
        JsonNode created = send(a, "POST", "/api/v1/push/requests", "{\"userId\":\"" + user + "\",\"message\":\"Pay\"}", 201);
        String id = created.path("requestId").asText();
        JsonNode pending = deviceCall(b, "GET", "/api/v1/devices/me/pending", phone, null, 200);
        JsonNode request = pending.path("requests").get(0);
        assertEquals(id, request.path("requestId").asText());
        String signature = phone.sign(id, request.path("challenge").asText(), PushTestBase.dataHash(request), "deny", null);
        assertEquals("denied", deviceCall(b, "POST", "/api/v1/push/requests/" + id + "/response", phone,
                "{\"decision\":\"deny\",\"signature\":\"" + signature + "\"}", 200).path("status").asText());
        assertEquals("denied", send(a, "GET", "/api/v1/push/requests/" + id, null, 200).path("status").asText());
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void bulkJob_survivesTheReplicaThatAcceptedIt() throws Exception {
        String accepting = a;
        StringBuilder body = new StringBuilder("{\"enabled\":true,\"userIds\":[");
        for (int i = 0; i < 2_000; i++) {
            body.append(i == 0 ? "" : ",").append("\"it-bulk-").append(i).append('"');
        }
        body.append("]}");
        String jobId = send(accepting, "POST", "/api/v1/push/users/bulk", body.toString(), 202).path("jobId").asText();
        Process dying = replicaA;
        dying.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        assertEquals("running", send(b, "GET", "/api/v1/push/users/bulk/" + jobId, null, 200).path("status").asText());
        Process restarted = replica("a-restarted", Map.of("COUNTERSIGN_PUSH_BULK_POLL_INTERVAL", "200ms"));
        a = url(restarted);
        awaitTrue(() -> "done".equals(send(b, "GET", "/api/v1/push/users/bulk/" + jobId, null, 200).path("status").asText()),
                "the restarted replica finishes the job", 60);
        JsonNode job = send(a, "GET", "/api/v1/push/users/bulk/" + jobId, null, 200);
        assertEquals(2_000, job.path("total").asInt());
        assertEquals(2_000, job.path("done").asInt());
        replicaA = restarted;
    }

    private static TestDevice device(String user, String platform, String pushToken) throws Exception {
        TestDevice device = new TestDevice(user, DOMAIN, platform, true, pushToken);
        CloudEvent event = TestEvents.event(AuthenticatorActivated.TYPE.ceType(), "/countersign/provisioning-service",
                device.activatedJson(Instant.now()));
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                SharedStack.get().kafkaBootstrapServers()), new StringSerializer(), new CloudEventSerializer())) {
            producer.send(new ProducerRecord<>(prefix + Topics.ACTIVATIONS, user + "@" + DOMAIN, event)).get();
        }
        awaitTrue(() -> listed(a, user).findValuesAsText("instanceId").contains(device.iid()), "the device is known", 30);
        return device;
    }

    private static void enable(String user) throws Exception {
        send(a, "PUT", "/api/v1/push/users/" + user, "{\"enabled\":true}", 200);
    }

    private static JsonNode listed(String base, String user) throws Exception {
        return send(base, "GET", "/api/v1/devices?userId=" + user, null, 200);
    }

    private static JsonNode send(String base, String method, String path, String body, int expected) throws Exception {
        String scope = path.startsWith("/api/v1/push/requests") ? "push" : "push-admin";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", TestTokens.bearer(DOMAIN, scope)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode deviceCall(String base, String method, String path, TestDevice device, String body, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", device.bearer(Instant.now()))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode nextData(java.util.Iterator<String> lines) throws Exception {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                return JSON.readTree(line.substring(5).trim());
            }
        }
        throw new AssertionError("The stream ended");
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, String what, int seconds) throws Exception {
        Instant deadline = Instant.now().plusSeconds(seconds);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
