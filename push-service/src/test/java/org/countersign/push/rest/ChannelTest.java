package org.countersign.push.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.countersign.events.Topics;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.push.ChannelClient;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.countersign.testing.RawHttp;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/** The device channel: authentication at the upgrade, what travels over it, heartbeats, presence and "last sync". */
@QuarkusTest
class ChannelTest extends PushTestBase {

    @Test
    void upgradeWithoutAValidDeviceToken_401Problem() throws Exception {
        String user = freshUser("ulla");
        TestDevice device = onlineDevice(user);
        for (String authorization : new String[] {null, "Bearer not.a.token", TestTokens.bearer(DOMAIN, "push"),
                new TestDevice(user, DOMAIN, "web", true, null).bearer(Instant.now())}) {
            RawHttp.Response refused = RawHttp.exchange(RestAssured.port, upgrade(authorization), false);
            assertEquals(401, refused.status());
            assertTrue(refused.header("content-type").startsWith("application/problem+json"));
            assertEquals("https://countersign.org/problems/invalid-device-token", JSON.readTree(refused.body()).path("type").asText());
            assertEquals("Bearer error=\"invalid_token\"", refused.header("www-authenticate"));
        }
        // The same token twice: the second upgrade is a replay.
        String token = device.bearer(clock.instant());
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, token)) {
            channel.next("welcome");
        }
        assertEquals(401, RawHttp.exchange(RestAssured.port, upgrade(token), false).status());
    }

    @Test
    void connected_requestArrivesOverTheChannel_answerOverTheChannel_appSeesIt() throws Exception {
        String user = freshUser("vera");
        TestDevice device = onlineDevice(user);
        enable(user);
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            JsonNode welcome = channel.next("welcome");
            assertEquals(device.iid(), welcome.path("instanceId").asText());
            assertEquals(1, welcome.path("pingIntervalSeconds").asInt());
            awaitTrue(() -> connected(user), "the listing shows it connected");
            admin().when().get("/api/v1/devices?userId=" + user).then().body("[0].lastSyncAt", notNullValue());

            JsonNode created = createRequest(user, "Sign in to Example Bank", "[{\"name\":\"Browser\",\"value\":\"Firefox\"}]");
            String id = created.path("requestId").asText();
            JsonNode request = channel.next("push-request");
            Set<String> keys = new TreeSet<>();
            request.fieldNames().forEachRemaining(keys::add);
            assertEquals(new TreeSet<>(List.of("type", "requestId", "challenge", "message", "fields", "numberOptions", "createdAt",
                    "expiresAt")), keys);
            assertEquals(id, request.path("requestId").asText());
            assertEquals("Firefox", request.path("fields").get(0).path("value").asText());

            int display = created.path("displayNumber").asInt();
            channel.send("{\"type\":\"push-response\",\"requestId\":\"" + id + "\",\"decision\":\"approve\",\"selectedNumber\":"
                    + display + ",\"signature\":\"" + device.sign(id, request.path("challenge").asText(), dataHash(request),
                    "approve", display) + "\"}");
            JsonNode result = channel.next("push-response-result");
            assertEquals(id, result.path("requestId").asText());
            assertEquals("approved", result.path("status").asText());
            app().when().get("/api/v1/push/requests/" + id).then().body("status", equalTo("approved"))
                    .body("instanceId", equalTo(device.iid()));

            // A second answer over the channel is an error message with the HTTP problem, and the channel stays open.
            channel.send("{\"type\":\"push-response\",\"requestId\":\"" + id + "\",\"decision\":\"deny\",\"signature\":\""
                    + device.sign(id, request.path("challenge").asText(), dataHash(request), "deny", null) + "\"}");
            JsonNode error = channel.next("error");
            assertEquals("push-response", error.path("inReplyTo").asText());
            assertEquals(id, error.path("requestId").asText());
            assertEquals("https://countersign.org/problems/push-request-answered", error.path("problem").path("type").asText());
            channel.send("{\"type\":\"sync\"}");
            channel.send("not json");
            assertEquals("https://countersign.org/problems/malformed-body", channel.next("error").path("problem").path("type").asText());
            channel.send("{\"type\":\"teleport\"}");
            assertEquals("https://countersign.org/problems/validation", channel.next("error").path("problem").path("type").asText());
        }
        awaitTrue(() -> !connected(user), "the listing shows it gone");
        awaitTrue(() -> pushEventTypes(user).contains("device.device-disconnected"), "DeviceDisconnected is published");
        List<JsonNode> events = pushEvents(user);
        JsonNode connectedEvent = events.stream().filter(e -> e.path("_type").asText().contains("device-connected")).findFirst().orElseThrow();
        JsonNode disconnected = events.stream().filter(e -> e.path("_type").asText().contains("device-disconnected")).findFirst().orElseThrow();
        assertEquals(connectedEvent.path("connectionId").asText(), disconnected.path("connectionId").asText());
        assertEquals("closed", disconnected.path("reason").asText());
    }

    @Test
    void requestCreatedWhileAway_arrivesOnConnect_andSyncSendsItAgain() throws Exception {
        String user = freshUser("wim");
        TestDevice device = onlineDevice(user);
        enable(user);
        String id = createRequest(user, "Sign in", null).path("requestId").asText();
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            channel.next("welcome");
            assertEquals(id, channel.next("push-request").path("requestId").asText());
            channel.send("{\"type\":\"sync\"}");
            assertEquals(id, channel.next("push-request").path("requestId").asText());
        }
    }

    @Test
    void anotherDeviceAnswered_theOthersAreToldItIsClosed() throws Exception {
        String user = freshUser("xena");
        TestDevice phone = onlineDevice(user);
        TestDevice tablet = onlineDevice(user);
        enable(user);
        try (ChannelClient phoneChannel = ChannelClient.connect(RestAssured.port, phone.bearer(clock.instant()));
             ChannelClient tabletChannel = ChannelClient.connect(RestAssured.port, tablet.bearer(clock.instant()))) {
            phoneChannel.next("welcome");
            tabletChannel.next("welcome");
            JsonNode created = createRequest(user, "Sign in", null);
            String id = created.path("requestId").asText();
            JsonNode request = phoneChannel.next("push-request");
            tabletChannel.next("push-request");
            answer(phone, request, "approve", created.path("displayNumber").asInt()).statusCode(200);
            JsonNode closed = tabletChannel.next("push-closed");
            assertEquals(id, closed.path("requestId").asText());
            assertEquals("approved", closed.path("status").asText());
        }
    }

    @Test
    void config_deliveredOverTheChannel_acknowledged_listingShowsIt_andPushOffMeansNoRequests() throws Exception {
        String user = freshUser("yann");
        TestDevice device = onlineDevice(user);
        enable(user);
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            channel.next("welcome");
            admin().body("{\"authTypes\":[\"otp\",\"signature\"]}").when().put("/api/v1/devices/" + device.iid() + "/config").then()
                    .statusCode(200).body("authTypes", equalTo(List.of("otp", "signature"))).body("config.version", equalTo(1))
                    .body("config.pending", equalTo(true)).body("connected", equalTo(true));
            JsonNode config = channel.next("config");
            assertEquals(1, config.path("version").asInt());
            assertEquals(List.of("otp", "signature"), List.of(config.path("authTypes").get(0).asText(), config.path("authTypes").get(1).asText()));
            channel.send("{\"type\":\"config-ack\",\"version\":1}");
            assertEquals(1, channel.next("config-acked").path("version").asInt());
            admin().when().get("/api/v1/devices?userId=" + user).then().body("[0].config.acknowledgedVersion", equalTo(1))
                    .body("[0].config.pending", equalTo(false)).body("[0].config.acknowledgedAt", notNullValue());
            channel.send("{\"type\":\"config-ack\",\"version\":7}");
            assertEquals("https://countersign.org/problems/unknown-config-version",
                    channel.next("error").path("problem").path("type").asText());
        }
        app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\"}").when().post("/api/v1/push/requests").then()
                .statusCode(409).body("type", equalTo("https://countersign.org/problems/no-push-device"));
    }

    @Test
    void config_forADeviceThatPolls_comesWithThePoll_andIsAcknowledgedByPost() throws Exception {
        String user = freshUser("zora");
        TestDevice device = onlineDevice(user);
        admin().body("{\"authTypes\":[\"push\"]}").when().put("/api/v1/devices/" + device.iid() + "/config").then().statusCode(200)
                .body("connected", equalTo(false));
        RestAssured.given().header("Authorization", device.bearer(clock.instant())).when().get("/api/v1/devices/me/pending").then()
                .statusCode(200).body("config.type", equalTo("config")).body("config.version", equalTo(1))
                .body("config.authTypes", equalTo(List.of("push")));
        RestAssured.given().header("Authorization", device.bearer(clock.instant())).contentType("application/json")
                .body("{\"version\":1}").when().post("/api/v1/devices/me/config-ack").then().statusCode(204);
        RestAssured.given().header("Authorization", device.bearer(clock.instant())).when().get("/api/v1/devices/me/pending").then()
                .statusCode(200).body("config", equalTo(null));
        awaitTrue(() -> sql("SELECT last_sync_at FROM devices WHERE instance_id = '" + device.iid() + "'") != null,
                "the polls count as contacts");
    }

    @Test
    void secondConnectionOfADevice_replacesTheFirst() throws Exception {
        String user = freshUser("abel");
        TestDevice device = onlineDevice(user);
        enable(user);
        // The second connects once the first is set up (one closed while it is still being set up never sees a welcome).
        try (ChannelClient first = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            first.next("welcome");
            try (ChannelClient second = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
                second.next("welcome");
                assertEquals(4409, first.awaitClosed());
                createRequest(user, "Sign in", null);
                second.next("push-request");
                assertTrue(connected(user));
            }
        }
    }

    @Test
    void lastSync_movesWithEveryContact_pollsAndPongs() throws Exception {
        String user = freshUser("lasse");
        TestDevice device = onlineDevice(user);
        // Each poll is a contact: "last sync" follows the service's clock, moved forward between them.
        for (int minutes : new int[] {5, 10}) {
            clock.advance(java.time.Duration.ofMinutes(5));
            Instant polledAt = clock.instant();
            RestAssured.given().header("Authorization", device.bearer(clock.instant())).when().get("/api/v1/devices/me/pending")
                    .then().statusCode(200);
            awaitTrue(() -> lastSync(user) != null && !lastSync(user).isBefore(polledAt.minusSeconds(1)),
                    "last sync shows the poll " + minutes + " minutes on");
        }
        clock.reset();
        // Over the channel, answering the server's pings is enough: no message, and still it moves.
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            channel.next("welcome");
            awaitTrue(() -> lastSync(user) != null && lastSync(user).isBefore(clock.instant().plusSeconds(1)), "connecting writes it");
            Instant connected = lastSync(user);
            awaitTrue(() -> lastSync(user).isAfter(connected), "pongs move it on");
        }
    }

    private Instant lastSync(String user) {
        String value = admin().when().get("/api/v1/devices?userId=" + user).then().statusCode(200).extract().path("[0].lastSyncAt");
        return value == null ? null : Instant.parse(value);
    }

    @Test
    void halfOpenConnection_closedByTheHeartbeat() throws Exception {
        String user = freshUser("bodo");
        TestDevice device = onlineDevice(user);
        // A raw client that completes the handshake and then never answers a ping: a phone that lost its network.
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((upgrade(device.bearer(clock.instant())) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            awaitTrue(() -> connected(user), "connected");
            // The server pings every second and gives up after 5 s of silence: it closes the connection.
            int read;
            do {
                read = in.read();
            } while (read != -1 && !closeFrameSeen(read, in));
        }
        awaitTrue(() -> !connected(user), "the listing shows it gone");
        awaitTrue(() -> pushEvents(user).stream().anyMatch(e -> "heartbeat-timeout".equals(e.path("reason").asText())),
                "DeviceDisconnected says why");
    }

    @Test
    void revokedWhileConnected_theChannelCloses() throws Exception {
        String user = freshUser("cora");
        TestDevice device = onlineDevice(user);
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            channel.next("welcome");
            publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorRevoked.TYPE.ceType(), device.revokedJson());
            assertEquals(4403, channel.awaitClosed());
        }
        awaitTrue(() -> pushEvents(user).stream().anyMatch(e -> "revoked".equals(e.path("reason").asText())), "reason revoked");
    }

    @Test
    void deviceFloodsFrames_closedWithPolicyViolation_othersStillServed() throws Exception {
        String user = freshUser("flora");
        TestDevice flooder = onlineDevice(user);
        String otherUser = freshUser("ottilie");
        TestDevice other = onlineDevice(otherUser);
        enable(otherUser);
        try (ChannelClient flood = ChannelClient.connect(RestAssured.port, flooder.bearer(clock.instant()))) {
            flood.next("welcome");
            // 1-byte malformed frames, each worth an error reply, far faster than the budget (20 a second) allows.
            for (int i = 0; i < 500 && !flood.isClosed(); i++) {
                try {
                    flood.send("x");
                } catch (Exception closedUnderIt) {
                    break;
                }
            }
            assertEquals(1008, flood.awaitClosed());
            assertTrue(flood.drain().stream().filter(m -> "error".equals(m.path("type").asText())).count() <= 20,
                    "no reply beyond the budget");
        }
        awaitTrue(() -> !connected(user), "the flooder's presence is gone");
        String log = java.nio.file.Files.readString(java.nio.file.Path.of("target/push-test.log"), StandardCharsets.UTF_8);
        assertEquals(1, log.lines().filter(line -> line.contains("Channel of " + flooder.iid() + " closed with 1008")).count(),
                "logged once");
        // The replica still serves everyone else: a device connects, is sent a request and answers it.
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, other.bearer(clock.instant()))) {
            channel.next("welcome");
            JsonNode created = createRequest(otherUser, "Sign in", null);
            JsonNode request = channel.next("push-request");
            answer(other, request, "approve", created.path("displayNumber").asInt()).statusCode(200);
        }
    }

    @Test
    void certificateExpiredWhileConnected_requestsNeitherSentNorListedNorDecided() throws Exception {
        String user = freshUser("cecil");
        TestDevice device = onlineDevice(user);
        enable(user);
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            channel.next("welcome");
            JsonNode created = createRequest(user, "Sign in", null);
            String id = created.path("requestId").asText();
            JsonNode request = channel.next("push-request");
            // The certificate runs out while the channel stays open (its tokens would be refused from now on).
            update("UPDATE devices SET certificate_not_after = now() - interval '1 minute' WHERE instance_id = '" + device.iid() + "'");

            // Listed no more: whatever sync sends comes before the error of the message after it.
            channel.send("{\"type\":\"sync\"}");
            channel.send("{\"type\":\"teleport\"}");
            channel.next("error");
            assertTrue(channel.drain().stream().noneMatch(m -> "push-request".equals(m.path("type").asText())), "sync lists nothing");
            // Decided no more: the signed approval is refused as from a device the request was not sent to.
            int display = created.path("displayNumber").asInt();
            channel.send("{\"type\":\"push-response\",\"requestId\":\"" + id + "\",\"decision\":\"approve\",\"selectedNumber\":"
                    + display + ",\"signature\":\"" + device.sign(id, request.path("challenge").asText(), dataHash(request),
                    "approve", display) + "\"}");
            assertEquals("https://countersign.org/problems/unknown-push-request",
                    channel.next("error").path("problem").path("type").asText());
            app().when().get("/api/v1/push/requests/" + id).then().body("status", equalTo("pending"));
            // Sent no more: a new request finds no device to go to.
            app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\"}").when().post("/api/v1/push/requests").then()
                    .statusCode(409).body("type", equalTo("https://countersign.org/problems/no-push-device"));
        }
    }

    private boolean connected(String user) {
        List<Boolean> states = admin().when().get("/api/v1/devices?userId=" + user).then().statusCode(200).extract().path("connected");
        return !states.isEmpty() && states.get(0);
    }

    /** A WebSocket upgrade request (RFC 6455), with the Authorization header when given. */
    private static String upgrade(String authorization) {
        String key = Base64.getEncoder().encodeToString(java.util.UUID.randomUUID().toString().substring(0, 16).getBytes());
        return "GET /api/v1/devices/channel HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13"
                + (authorization == null ? "" : "\r\nAuthorization: " + authorization);
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Whether the byte starts a close frame (opcode 8, FIN set). */
    private static boolean closeFrameSeen(int first, InputStream in) {
        return first == 0x88;
    }
}
