package org.countersign.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.OtpPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * device listen and device pending, as a person runs them, against a push-service stand-in on loopback
 * (a real WebSocket and HTTP server) that checks every device token with the key the device enrolled
 * and every answer's signature over protocol.md's text, computed here with the JDK alone (not with
 * libs/protocol, which signs them). The real push-service checks the same against frozen vectors.
 */
class PushCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_ID = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
    private static final String CHALLENGE = "v3BY6FIqzQ_1BebFTOoC6qB9Ayv4wlkOwcU3LP5_1c0";

    @TempDir
    Path dir;
    private OnlineServer enrolment;
    private Vertx vertx;
    private String pushUrl;
    private Profile profile;
    private final List<JsonNode> answers = new CopyOnWriteArrayList<>();
    private volatile boolean refuseTokens;
    private String out;
    private String err;

    @BeforeEach
    void setUp() throws Exception {
        enrolment = new OnlineServer();
        ProfileStore store = new ProfileStore(dir.resolve("data/device/profiles.json"));
        String uri = enrolment.registerOnline("reg-p", "CSP0001", OtpPolicy.DEFAULT, "Example Bank", "alice");
        profile = new DeviceSimulator(store).enroll(uri, null, new EnrolmentOptions("android", null, "Alice's phone", true));
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().webSocketHandler(this::channel).requestHandler(this::http);
        pushUrl = "http://127.0.0.1:" + server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        enrolment.close();
    }

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = DeviceCommand.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                Map.of("COUNTERSIGN_DATA_DIR", dir.resolve("data").toString()));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + err);
        return rc;
    }

    @Test
    void withoutUrl_thePushServiceIsTheProfilesChannelHost_portKept() {
        // Found following the README: ws -> http made the string longer, and the port lost two digits.
        assertEquals("http://localhost:8085", PushDevice.serviceOf("ws://localhost:8085/api/v1/devices/channel"));
        assertEquals("https://push.bank.example", PushDevice.serviceOf("wss://push.bank.example/api/v1/devices/channel"));
    }

    @Test
    void listen_showsTheRequestOnce_approvesWithTheNumber_signedOverWhatItShowed() {
        assertEquals(0, run("listen", "--url", pushUrl, "--approve", "42", "--once"), err);
        assertTrue(out.contains("Connected to " + pushUrl + " as instance " + profile.iid()), out);
        assertTrue(out.contains("Log in to Example Bank") && out.contains("Browser: Firefox on Linux") && out.contains("17 42 88"), out);
        assertTrue(out.contains("Approved: " + REQUEST_ID), out);
        assertEquals(1, out.split("Push request " + REQUEST_ID, -1).length - 1, "the request sent twice is shown once: " + out);
        assertEquals(1, answers.size());
        JsonNode answer = answers.get(0);
        assertEquals("channel", answer.path("via").asText());
        assertEquals("approve", answer.path("decision").asText());
        assertEquals(42, answer.path("selectedNumber").asInt());
        assertTrue(answer.path("signatureValid").asBoolean(), "signed over protocol.md's text with the device key");
    }

    @Test
    void listen_aNumberTheDeviceWasNotOffered_refusedOnTheDevice_nothingSent() {
        assertEquals(1, run("listen", "--url", pushUrl, "--approve", "43", "--once"));
        assertTrue(err.contains("43 is not among this request's numbers (17 42 88)"), err);
        assertTrue(answers.isEmpty());
    }

    @Test
    void pending_listsThenDenies_byPost() {
        assertEquals(0, run("pending", "--url", pushUrl));
        assertTrue(out.contains("Push request " + REQUEST_ID) && out.contains("Log in to Example Bank"), out);
        assertTrue(answers.isEmpty(), "listing answers nothing");
        assertEquals(0, run("pending", "--url", pushUrl, "--deny", "--quiet"));
        assertEquals("denied", out.strip());
        assertEquals(1, answers.size());
        assertEquals("post", answers.get(0).path("via").asText());
        assertEquals("deny", answers.get(0).path("decision").asText());
        assertFalse(answers.get(0).has("selectedNumber"));
        assertTrue(answers.get(0).path("signatureValid").asBoolean());
    }

    @Test
    void serverRefusesTheToken_problemShown_exit5() {
        refuseTokens = true;
        assertEquals(5, run("pending", "--url", pushUrl));
        assertTrue(err.contains("401") && err.contains("invalid-device-token"), err);
        assertEquals(5, run("listen", "--url", pushUrl, "--once"));
        assertTrue(err.contains("401"), err);
    }

    @Test
    void pushService_takenFromTheProfilesPushChannel() {
        assertEquals("http://localhost:38233", PushDevice.serviceOf("ws://localhost:38233/api/v1/devices/channel"));
        assertEquals("https://push.bank.example", PushDevice.serviceOf("wss://push.bank.example/api/v1/devices/channel"));
        // The enrolled profile's channel (OnlineServer's, a port nothing listens on): without --url the device goes there.
        assertEquals(5, run("pending"));
        assertTrue(err.contains("http://127.0.0.1:1") && err.contains("cannot be reached"), err);
    }

    @Test
    void usage_mistakes_exit2() {
        assertEquals(2, run("listen", "--url", pushUrl, "--approve", "42", "--deny"));
        assertEquals(2, run("pending", "--url", pushUrl, "--once"));
        assertEquals(2, run("listen", "--url", "ftp://x"));
    }

    // ---- the stand-in ----

    private boolean tokenValid(String authorization) {
        if (refuseTokens || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        try {
            return enrolment.verifyToken(authorization.substring(7), Instant.now()).instanceId().equals(profile.iid());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void channel(ServerWebSocket socket) {
        if (!socket.path().equals(PushDevice.CHANNEL_PATH) || !tokenValid(socket.headers().get("Authorization"))) {
            socket.reject(401);
            return;
        }
        socket.writeTextMessage(JSON.createObjectNode().put("type", "welcome").put("instanceId", profile.iid()).toString());
        // Sent twice, as a request created while the device connects may be.
        socket.writeTextMessage(request().toString());
        socket.writeTextMessage(request().toString());
        socket.textMessageHandler(text -> {
            JsonNode message = read(text);
            ObjectNode recorded = record(message, "channel");
            socket.writeTextMessage(JSON.createObjectNode().put("type", "push-response-result").put("requestId", REQUEST_ID)
                    .put("status", recorded.path("status").asText()).toString());
        });
    }

    private void http(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            if (!tokenValid(request.getHeader("Authorization"))) {
                request.response().setStatusCode(401).putHeader("Content-Type", "application/problem+json")
                        .end("{\"type\":\"https://countersign.org/problems/invalid-device-token\",\"title\":\"Invalid device token\","
                                + "\"status\":401,\"detail\":\"The device token is not valid\"}");
            } else if (request.path().equals("/api/v1/devices/me/pending")) {
                request.response().putHeader("Content-Type", "application/json")
                        .end(JSON.createObjectNode().set("requests", JSON.createArrayNode().add(request())).toString());
            } else if (request.path().equals("/api/v1/push/requests/" + REQUEST_ID + "/response")) {
                ObjectNode recorded = record(read(body.toString()), "post");
                request.response().putHeader("Content-Type", "application/json").end(JSON.createObjectNode()
                        .put("requestId", REQUEST_ID).put("status", recorded.path("status").asText()).toString());
            } else {
                request.response().setStatusCode(404).end();
            }
        });
    }

    private static ObjectNode request() {
        ObjectNode request = JSON.createObjectNode().put("type", "push-request").put("requestId", REQUEST_ID).put("challenge", CHALLENGE)
                .put("message", "Log in to Example Bank");
        request.putArray("fields").addObject().put("name", "Browser").put("value", "Firefox on Linux");
        request.putArray("numberOptions").add(17).add(42).add(88);
        request.put("createdAt", Instant.now().toString()).put("expiresAt", Instant.now().plusSeconds(120).toString());
        return request;
    }

    /** Checks the answer's signature independently and records it; answers with the status the server would record. */
    private ObjectNode record(JsonNode answer, String via) {
        String decision = answer.path("decision").asText();
        String number = answer.has("selectedNumber") ? answer.path("selectedNumber").asText() : "";
        boolean valid;
        try {
            String dataHash = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest("Log in to Example Bank\nBrowser=Firefox on Linux".getBytes(StandardCharsets.UTF_8)));
            String text = "countersign/v1/push|" + REQUEST_ID + "|" + CHALLENGE + "|" + dataHash + "|" + decision + "|" + number + "|"
                    + profile.iid();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(enrolment.activeKey(profile.iid()));
            verifier.update(text.getBytes(StandardCharsets.UTF_8));
            valid = verifier.verify(Base64.getUrlDecoder().decode(answer.path("signature").asText()));
        } catch (Exception e) {
            valid = false;
        }
        ObjectNode recorded = ((ObjectNode) answer.deepCopy()).put("via", via).put("signatureValid", valid)
                .put("status", valid && decision.equals("approve") && number.equals("42") ? "approved" : "denied");
        answers.add(recorded);
        return recorded;
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
