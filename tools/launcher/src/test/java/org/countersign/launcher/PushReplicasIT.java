package org.countersign.launcher;

import static org.countersign.launcher.Suite.DOMAIN;
import static org.countersign.launcher.Suite.HTTP;
import static org.countersign.launcher.Suite.JSON;
import static org.countersign.launcher.Suite.awaitTrue;
import static org.countersign.launcher.Suite.dataDir;
import static org.countersign.launcher.Suite.device;
import static org.countersign.launcher.Suite.home;
import static org.countersign.launcher.Suite.json;
import static org.countersign.launcher.Suite.phoneEnrolledOnline;
import static org.countersign.launcher.Suite.port;
import static org.countersign.launcher.Suite.pushApp;
import static org.countersign.launcher.Suite.readUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.countersign.device.EnrolmentOptions;
import org.countersign.stack.DevKeys;
import org.countersign.stack.EmbeddedStack;
import org.countersign.stack.ExternalEndpoints;
import org.countersign.stack.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17's system test, second half: the suite's push-service and a second replica of it (the same jar,
 * a process of its own, sharing the suite's PostgreSQL, Kafka and Redis, and configured for FCM, which a
 * real HTTP server on loopback plays). A phone enrolled online through provisioning holds its channel on
 * the first replica and approves a request an app created on the second; then, with no channel, the
 * second replica wakes it through FCM with a message that names nobody, and the phone answers by
 * polling that replica. Public APIs only.
 */
@ExtendWith(Suite.class)
@Order(4)
class PushReplicasIT {

    private static FcmFake fcm;
    private static Process replica;
    private static int replicaPort;
    private static Path replicaLog;

    @BeforeAll
    static void secondReplica() throws Exception {
        fcm = new FcmFake();
        replicaPort = Ports.free();
        int management = Ports.free();
        replicaLog = dataDir.resolve("push-second-replica.log");
        ProcessBuilder builder = new ProcessBuilder(UpCommand.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                ServiceSpec.named("push").jar(home()).toString())
                .redirectErrorStream(true).redirectOutput(replicaLog.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(replicaPort));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        env.put(ExternalEndpoints.KAFKA_ENV, "127.0.0.1:" + port("KAFKA"));
        String database = "127.0.0.1:" + port("POSTGRES") + "/" + UpCommand.DATABASE;
        env.put(ExternalEndpoints.POSTGRES_REACTIVE_ENV, "postgresql://" + database);
        env.put(ExternalEndpoints.POSTGRES_JDBC_ENV, "jdbc:postgresql://" + database);
        env.put(ExternalEndpoints.POSTGRES_USER_ENV, EmbeddedStack.POSTGRES_USER);
        env.put(ExternalEndpoints.POSTGRES_PASSWORD_ENV, "");
        env.put(ExternalEndpoints.REDIS_ENV, "redis://127.0.0.1:" + port("REDIS"));
        DevKeys keys = DevKeys.in(dataDir.resolve("keys"));
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.publicKey().toUri().toString());
        env.putAll(UpCommand.sealingEnvironment(keys, "push"));
        env.putAll(fcm.environment());
        replica = builder.start();
        awaitTrue(() -> {
            assertTrue(replica.isAlive(), () -> "The second push-service replica ended:\n" + log());
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replicaPort + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }, "the second push-service replica is ready");
    }

    @AfterAll
    static void stop() throws Exception {
        if (replica != null) {
            replica.destroy();
            if (!replica.waitFor(30, TimeUnit.SECONDS)) {
                replica.destroyForcibly();
            }
        }
        if (fcm != null) {
            fcm.close();
        }
    }

    @Test
    void phoneEnrolledOnline_approvesThroughTheOtherReplica_thenIsWokenThroughFcm_andAnswersByPolling() throws Exception {
        String pushToken = "fcm-token-" + Long.toHexString(System.nanoTime());
        Path phoneData = phoneEnrolledOnline("ivan", "ivan-phone", new EnrolmentOptions("android", pushToken, "Ivan's phone", false));
        String app = pushApp();
        awaitTrue(() -> second(app, "GET", "/api/v1/devices?userId=ivan", null).body().contains("\"wakeUps\":\"fcm\""),
                "the push-service learns the phone, and its FCM token, from the activation event");
        assertEquals(200, second(app, "PUT", "/api/v1/push/users/ivan", "{\"enabled\":true}").statusCode());

        // The channel is held by the first replica (the one the enrolment named); the app talks to the second.
        Process listen = device(phoneData, "listen", "--profile", "ivan-phone", "--once", "--wait", "120");
        BufferedReader screen = new BufferedReader(new InputStreamReader(listen.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder shown = new StringBuilder();
        readUntil(screen, "Waiting for push requests", shown);
        assertTrue(shown.toString().contains(":" + port("PUSH") + " "), "the first replica holds the channel: " + shown);
        JsonNode first = created(second(app, "POST", "/api/v1/push/requests", "{\"userId\":\"ivan\",\"message\":\"Sign in to Example Bank\"}"));
        CompletableFuture<HttpResponse<String>> longPoll = HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + replicaPort + "/api/v1/push/requests/" + first.get("requestId").asText() + "?wait=60"))
                .header("Authorization", "Bearer " + app).build(), HttpResponse.BodyHandlers.ofString());
        readUntil(screen, "Approve:", shown);
        assertTrue(shown.toString().contains("Sign in to Example Bank"), shown.toString());
        listen.getOutputStream().write((first.get("displayNumber").asText() + "\n").getBytes(StandardCharsets.UTF_8));
        listen.getOutputStream().flush();
        readUntil(screen, "Approved: " + first.get("requestId").asText(), shown);
        assertTrue(listen.waitFor(60, TimeUnit.SECONDS) && listen.exitValue() == 0, shown.toString());
        assertEquals("approved", JSON.readTree(longPoll.get(70, TimeUnit.SECONDS).body()).get("status").asText());
        assertEquals(List.of(), fcm.messagesTo(pushToken), "a connected phone is not woken");

        // No channel now: the second replica wakes the phone through FCM, and the phone polls that replica.
        awaitTrue(() -> second(app, "GET", "/api/v1/devices?userId=ivan", null).body().contains("\"connected\":false"),
                "both replicas see the channel closed");
        JsonNode woken = created(second(app, "POST", "/api/v1/push/requests", "{\"userId\":\"ivan\",\"message\":"
                + "\"Pay 25.00 EUR to Globex\",\"fields\":[{\"name\":\"IBAN\",\"value\":\"DE02120300000000202051\"}]}"));
        awaitTrue(() -> fcm.messagesTo(pushToken).size() == 1, "FCM is asked to wake the phone");
        String wakeUp = fcm.messagesTo(pushToken).get(0);
        // Only the device's token and a fixed type: the device fetches the request itself.
        assertEquals(JSON.readTree("{\"type\":\"countersign-wake\"}"), JSON.readTree(wakeUp).path("message").path("data"), wakeUp);
        for (String named : List.of("ivan", DOMAIN, "Globex", "25.00", "DE02120300000000202051", woken.get("requestId").asText())) {
            assertTrue(!wakeUp.contains(named), "the wake-up names nobody and nothing: " + wakeUp);
        }
        Process pending = device(phoneData, "pending", "--profile", "ivan-phone", "--quiet", "--url", "http://127.0.0.1:" + replicaPort,
                "--approve", woken.get("displayNumber").asText());
        String answered = new String(pending.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(pending.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, pending.exitValue(), answered);
        assertEquals("approved", answered);
        String status = json(port("PUSH"), app, "GET", "/api/v1/push/requests/" + woken.get("requestId").asText(), null).body();
        assertTrue(status.contains("\"status\":\"approved\""), "the first replica sees the answer given to the second: " + status);
    }

    private static HttpResponse<String> second(String app, String method, String path, String body) throws Exception {
        return json(replicaPort, app, method, path, body);
    }

    private static JsonNode created(HttpResponse<String> response) throws Exception {
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static String log() {
        try {
            return Files.readString(replicaLog);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
