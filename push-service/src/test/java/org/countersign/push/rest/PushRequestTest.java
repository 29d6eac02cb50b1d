package org.countersign.push.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/** Push requests from the app's side: creating them, the refusals, the status at once, by long-poll and as SSE, expiry. */
@QuarkusTest
class PushRequestTest extends PushTestBase {

    @jakarta.inject.Inject
    org.countersign.push.service.StatusWaiters waiters;

    @jakarta.inject.Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @jakarta.inject.Inject
    com.fasterxml.jackson.databind.ObjectMapper serviceJson;

    @jakarta.inject.Inject
    org.countersign.push.service.ReplicaBus bus;

    private static final String FIELDS = "[{\"name\":\"Browser\",\"value\":\"Firefox on Linux\"},{\"name\":\"Place\",\"value\":\"Zürich\"}]";

    @Test
    void create_forAnEnabledUserWithADevice_pendingWithNumberMatching_andTheDeviceIsSentExactlyIt() throws Exception {
        String user = freshUser("alice");
        TestDevice device = onlineDevice(user);
        enable(user);
        JsonNode created = createRequest(user, "Sign in to Example Bank", FIELDS);
        String requestId = created.path("requestId").asText();
        assertEquals("pending", created.path("status").asText());
        int display = created.path("displayNumber").asInt();
        assertTrue(display >= 10 && display <= 99, "two digits: " + display);

        JsonNode sent = polled(device, requestId);
        assertEquals("push-request", sent.path("type").asText());
        assertEquals("Sign in to Example Bank", sent.path("message").asText());
        assertEquals(2, sent.path("fields").size());
        assertEquals("Place", sent.path("fields").get(1).path("name").asText());
        assertEquals("Zürich", sent.path("fields").get(1).path("value").asText());
        assertEquals(43, sent.path("challenge").asText().length());
        List<Integer> options = new ArrayList<>();
        sent.path("numberOptions").forEach(n -> options.add(n.asInt()));
        assertEquals(3, new HashSet<>(options).size(), "three distinct numbers");
        assertTrue(options.contains(display), "the app's number is among them");
        assertEquals(created.path("expiresAt").asText(), sent.path("expiresAt").asText());
        assertNotNull(Instant.parse(sent.path("createdAt").asText()));

        app().when().get("/api/v1/push/requests/" + requestId).then().statusCode(200)
                .body("requestId", equalTo(requestId)).body("status", equalTo("pending"))
                .body("dataHash", equalTo(dataHash(sent))).body("displayNumber", equalTo(display));
        assertEquals(List.of("push.push-requested"), pushEventTypes(user).stream().filter(t -> t.startsWith("push.")).toList());
    }

    @Test
    void numberMatchingOff_noOptions() throws Exception {
        String user = freshUser("bert");
        TestDevice device = onlineDevice(user);
        enable(user);
        String id = app().body("{\"userId\":\"" + user + "\",\"message\":\"Pay 10 EUR\",\"numberMatching\":false}").when()
                .post("/api/v1/push/requests").then().statusCode(201).body("displayNumber", equalTo(null)).extract().path("requestId");
        JsonNode sent = polled(device, id);
        assertTrue(sent.path("numberOptions").isMissingNode());
        assertEquals(0, sent.path("fields").size());
    }

    @Test
    void refusals_sayWhich() throws Exception {
        String user = freshUser("carl");
        app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\"}").when().post("/api/v1/push/requests").then()
                .statusCode(409).body("type", equalTo("https://countersign.org/problems/push-not-enabled"));
        enable(user);
        app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\"}").when().post("/api/v1/push/requests").then()
                .statusCode(409).body("type", equalTo("https://countersign.org/problems/no-push-device"));
        TestDevice plain = onlineDevice(user, "web", false, null);
        enable(user, true);
        app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\"}").when().post("/api/v1/push/requests").then()
                .statusCode(409).body("type", equalTo("https://countersign.org/problems/no-biometric-device"));
        // With a biometric device, only that one is sent the request.
        TestDevice biometric = onlineDevice(user, "web", true, null);
        String id = createRequest(user, "Sign in", null).path("requestId").asText();
        polled(biometric, id);
        io.restassured.RestAssured.given().header("Authorization", plain.bearer(clock.instant())).when()
                .get("/api/v1/devices/me/pending").then().statusCode(200).body("requests", hasSize(0));
        assertEquals(0, count("SELECT count(*) FROM push_requests WHERE user_id = '" + user + "' AND require_biometric = false"));
    }

    @Test
    void secondOpenRequest_429WithRetryAfter_untilTheFirstIsAnswered() throws Exception {
        String user = freshUser("dave");
        TestDevice device = onlineDevice(user);
        enable(user);
        JsonNode first = createRequest(user, "Sign in", null);
        String retryAfter = app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in again\"}").when()
                .post("/api/v1/push/requests").then().statusCode(429)
                .body("type", equalTo("https://countersign.org/problems/too-many-open-push-requests"))
                .header("Retry-After", notNullValue()).extract().header("Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 121, "until the first one expires at most: " + seconds);
        JsonNode sent = polled(device, first.path("requestId").asText());
        answer(device, sent, "deny", null).statusCode(200);
        createRequest(user, "Sign in again", null);
    }

    @Test
    void manyRequestsForOneUser_evenAnsweredOrExpired_429AfterTheLimitWithinTheWindow() throws Exception {
        String user = freshUser("dora");
        onlineDevice(user);
        enable(user);
        // max-per-user is 10 in 15 minutes: each request here expires before the next, so only the window stops them.
        for (int i = 0; i < 10; i++) {
            app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\",\"ttlSeconds\":10}").when()
                    .post("/api/v1/push/requests").then().statusCode(201);
            clock.advance(Duration.ofSeconds(11));
        }
        String retryAfter = app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\"}").when()
                .post("/api/v1/push/requests").then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("https://countersign.org/problems/too-many-push-requests"))
                .extract().header("Retry-After");
        long seconds = Long.parseLong(retryAfter);
        // The oldest was created 110 s ago (by the service's clock): it leaves the 15-minute window in about 790 s.
        assertTrue(seconds > 780 && seconds <= 791, "until the oldest leaves the window: " + seconds);
        assertEquals(10, count("SELECT count(*) FROM push_requests WHERE user_id = '" + user + "'"), "the refusal wrote nothing");
        clock.advance(Duration.ofSeconds(seconds));
        createRequest(user, "Sign in", null);
        // Another user of the same domain was never limited by this one.
        String other = freshUser("dora-2");
        onlineDevice(other);
        enable(other);
        createRequest(other, "Sign in", null);
    }

    @Test
    void burstForOneDomain_overItsRatePerSecond_429_otherDomainsUnaffected() throws Exception {
        // %test max-per-domain-per-second is 50. A fresh domain, and the service's clock stopped, so that the burst is one second.
        String domain = "rate-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".test";
        String body = "{\"userId\":\"nobody\",\"message\":\"Sign in\"}";
        clock.freeze();
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + io.restassured.RestAssured.port
                            + "/api/v1/push/requests")).header("Authorization", TestTokens.bearer(domain, "push"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        java.util.Map<String, Long> outcomes = new java.util.TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
            String type = JSON.readTree(response.body()).path("type").asText();
            outcomes.merge(response.statusCode() + " " + type.substring(type.lastIndexOf('/') + 1), 1L, Long::sum);
            if (response.statusCode() == 429) {
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
            }
        }
        // The user is not enabled: the 50 the rate lets through are refused for that, the other 10 by the rate.
        assertEquals(java.util.Map.of("409 push-not-enabled", 50L, "429 domain-push-rate-exceeded", 10L), outcomes);
        app().body(body).when().post("/api/v1/push/requests").then().statusCode(409)
                .body("type", equalTo("https://countersign.org/problems/push-not-enabled"));
    }

    @Test
    void malformedInput_400_andNothingWritten() throws Exception {
        String user = freshUser("erin");
        onlineDevice(user);
        enable(user);
        app().body("{\"userId\":\"" + user + "\",\"message\":\"Pay\",\"fields\":[{\"name\":\"A=B\",\"value\":\"1\"}]}").when()
                .post("/api/v1/push/requests").then().statusCode(400)
                .body("type", equalTo("https://countersign.org/problems/invalid-transaction-data"));
        app().body("{\"userId\":\"" + user + "\",\"message\":\"Pay\",\"fields\":[{\"name\":\"A\",\"value\":\"1\\n2\"}]}").when()
                .post("/api/v1/push/requests").then().statusCode(400)
                .body("type", equalTo("https://countersign.org/problems/invalid-transaction-data"));
        app().body("{\"userId\":\"" + user + "\",\"message\":\"" + "x".repeat(301) + "\"}").when().post("/api/v1/push/requests")
                .then().statusCode(400).body("type", equalTo("https://countersign.org/problems/validation"));
        app().body("{\"userId\":\"" + user + "\",\"message\":\"Pay\",\"ttlSeconds\":5}").when().post("/api/v1/push/requests")
                .then().statusCode(400).body("errors[0].field", equalTo("body.ttlSeconds"));
        app().body("{\"userId\":\"" + user + "\",\"message\":\"Pay\",\"colour\":\"red\"}").when().post("/api/v1/push/requests")
                .then().statusCode(400);
        app().body("{\"userId\":\"a|b\",\"message\":\"Pay\"}").when().post("/api/v1/push/requests").then().statusCode(400);
        assertEquals(0, count("SELECT count(*) FROM push_requests WHERE user_id = '" + user + "'"));
    }

    @Test
    void tenantsAndScopes() throws Exception {
        String user = freshUser("fay");
        onlineDevice(user);
        enable(user);
        String id = createRequest(user, "Sign in", null).path("requestId").asText();
        app(OTHER_DOMAIN).when().get("/api/v1/push/requests/" + id).then().statusCode(404)
                .body("type", equalTo("https://countersign.org/problems/unknown-push-request"));
        app().when().get("/api/v1/push/requests/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .body("type", equalTo("https://countersign.org/problems/unknown-push-request"));
        admin().when().get("/api/v1/push/requests/" + id).then().statusCode(403);
        admin().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\"}").when().post("/api/v1/push/requests").then().statusCode(403);
        app().when().get("/api/v1/devices?userId=" + user).then().statusCode(403);
        app().body("{\"enabled\":true}").when().put("/api/v1/push/users/" + user).then().statusCode(403);
        io.restassured.RestAssured.given().header("Authorization", TestTokens.bearer(OTHER_DOMAIN, "admin"))
                .when().get("/api/v1/push/requests/" + id + "?domain=" + DOMAIN).then().statusCode(200);
        io.restassured.RestAssured.given().when().get("/api/v1/push/requests/" + id).then().statusCode(401);
    }

    @Test
    void expiry_onceWithItsEvent_whoeverNoticesFirst() throws Exception {
        String user = freshUser("gina");
        TestDevice device = onlineDevice(user);
        enable(user);
        JsonNode created = JSON.readTree(app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\",\"ttlSeconds\":30}")
                .when().post("/api/v1/push/requests").then().statusCode(201).extract().asString());
        String id = created.path("requestId").asText();
        JsonNode sent = polled(device, id);
        clock.advance(Duration.ofSeconds(31));
        app().when().get("/api/v1/push/requests/" + id).then().statusCode(200).body("status", equalTo("expired"));
        app().when().get("/api/v1/push/requests/" + id).then().statusCode(200).body("status", equalTo("expired"));
        answer(device, sent, "approve", sent.path("numberOptions").get(0).asInt()).statusCode(410)
                .body("type", equalTo("https://countersign.org/problems/push-request-expired"));
        // The sweep runs every second in tests; it finds nothing left to expire.
        Thread.sleep(1_500);
        awaitTrue(() -> pushEventTypes(user).contains("push.push-expired"), "PushExpired is published");
        assertEquals(1, pushEventTypes(user).stream().filter("push.push-expired"::equals).count());
        assertEquals(null, sql("SELECT message FROM push_requests WHERE id = '" + id + "'"), "no message is kept once it is over");
        // Nothing is pending for the device any more, and a new request is allowed.
        io.restassured.RestAssured.given().header("Authorization", device.bearer(clock.instant())).when()
                .get("/api/v1/devices/me/pending").then().body("requests", hasSize(0));
        createRequest(user, "Sign in", null);
    }

    @Test
    void sweep_expiresARequestNobodyReads() throws Exception {
        String user = freshUser("hank");
        onlineDevice(user);
        enable(user);
        String id = JSON.readTree(app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\",\"ttlSeconds\":10}").when()
                .post("/api/v1/push/requests").then().statusCode(201).extract().asString()).path("requestId").asText();
        clock.advance(Duration.ofSeconds(11));
        awaitTrue(() -> "EXPIRED".equals(sql("SELECT status FROM push_requests WHERE id = '" + id + "'")), "the sweep expires it");
        awaitTrue(() -> pushEventTypes(user).contains("push.push-expired"), "PushExpired is published");
    }

    @Test
    void longPoll_returnsTheAnswer_whenItComes() throws Exception {
        String user = freshUser("ivy");
        TestDevice device = onlineDevice(user);
        enable(user);
        String id = createRequest(user, "Sign in", null).path("requestId").asText();
        JsonNode sent = polled(device, id);
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> app().when()
                .get("/api/v1/push/requests/" + id + "?wait=30").then().statusCode(200).extract().asString());
        awaitTrue(() -> waiting.isDone() || waiters.size() > 0, "the long-poll waits");
        assertFalse(waiting.isDone(), "a pending request's long-poll waits for a change");
        answer(device, sent, "approve", display(id)).statusCode(200).body("status", equalTo("approved"));
        JsonNode answered = JSON.readTree(waiting.get(30, TimeUnit.SECONDS));
        // Had it only timed out, it would say pending: it was woken by the answer.
        assertEquals("approved", answered.path("status").asText());
        assertEquals(device.iid(), answered.path("instanceId").asText());
        assertNotNull(answered.path("decidedAt").asText(null));
        // A final status answers at once, whatever the wait.
        app().when().get("/api/v1/push/requests/" + id + "?wait=30").then().statusCode(200).body("status", equalTo("approved"));
    }

    @Test
    void serverSentEvents_pendingThenTheAnswer_thenTheEnd() throws Exception {
        String user = freshUser("jack");
        TestDevice device = onlineDevice(user);
        enable(user);
        String id = createRequest(user, "Sign in", null).path("requestId").asText();
        JsonNode sent = polled(device, id);
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + io.restassured.RestAssured.port + "/api/v1/push/requests/" + id + "/events"))
                .header("Authorization", TestTokens.bearer(DOMAIN, "push")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> response = stream.get(20, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        java.util.Iterator<String> lines = response.body().iterator();
        JsonNode first = nextData(lines);
        assertEquals("pending", first.path("status").asText());
        answer(device, sent, "deny", null).statusCode(200);
        JsonNode next = nextData(lines);
        while ("pending".equals(next.path("status").asText())) {
            next = nextData(lines);
        }
        assertEquals("denied", next.path("status").asText());
        assertEquals("denied", next.path("reason").asText());
        while (lines.hasNext()) {
            assertFalse(lines.next().startsWith("data:"), "nothing after the final status");
        }
    }

    /**
     * Redis is no authority: a status broadcast forged by anyone who can PUBLISH there (in the service's
     * exact format) wakes the long-poll and the SSE stream, which re-read PostgreSQL and go on waiting; the
     * user's other device is not told push-closed, and a device message routed with forged text is sent as
     * PostgreSQL has it (or not at all, for a request that does not exist). Then the real, signed answer
     * reaches them all.
     */
    @Test
    void forgedRedisMessages_decideNothing_theRealAnswerStillArrives() throws Exception {
        String user = freshUser("mallory");
        TestDevice device = onlineDevice(user);
        TestDevice other = onlineDevice(user);
        enable(user);
        try (org.countersign.push.ChannelClient otherChannel = org.countersign.push.ChannelClient.connect(
                io.restassured.RestAssured.port, other.bearer(clock.instant()))) {
            otherChannel.next("welcome");
            JsonNode created = createRequest(user, "Sign in", null);
            String id = created.path("requestId").asText();
            assertEquals(id, otherChannel.next("push-request").path("requestId").asText());
            JsonNode sent = polled(device, id);

            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> app().when()
                    .get("/api/v1/push/requests/" + id + "?wait=30").then().statusCode(200).extract().asString());
            java.util.concurrent.LinkedBlockingQueue<JsonNode> events = new java.util.concurrent.LinkedBlockingQueue<>();
            HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + io.restassured.RestAssured.port + "/api/v1/push/requests/" + id + "/events"))
                    .header("Authorization", TestTokens.bearer(DOMAIN, "push")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines()).get(20, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            Thread reader = new Thread(() -> response.body().filter(line -> line.startsWith("data:")).forEach(line -> {
                try {
                    events.add(JSON.readTree(line.substring(5).trim()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
            reader.setDaemon(true);
            reader.start();
            JsonNode first = events.poll(20, TimeUnit.SECONDS);
            assertNotNull(first, "the stream's first status");
            assertEquals("pending", first.path("status").asText());
            awaitTrue(() -> waiting.isDone() || waiters.waitingOn(id) >= 2, "the long-poll and the stream wait");
            otherChannel.drain();

            // The forged broadcast, as a replica writes a real one (RequestView through the service's mapper).
            Instant now = Instant.now();
            org.countersign.push.service.RequestView forged = new org.countersign.push.service.RequestView(id, DOMAIN, user,
                    org.countersign.push.domain.RequestStatus.APPROVED, now.minusSeconds(5), Instant.parse(created.path("expiresAt").asText()),
                    now, device.iid(), dataHash(sent), null, created.path("displayNumber").asInt());
            long receivers = redis.execute("PUBLISH", org.countersign.push.service.ReplicaBus.STATUS_CHANNEL,
                    serviceJson.writeValueAsString(forged)).toLong();
            assertTrue(receivers >= 1, "the service listens on the channel");
            Thread.sleep(1_500);
            assertFalse(waiting.isDone(), "the long-poll is not answered by a broadcast: " + (waiting.isDone() ? waiting.get() : ""));
            assertEquals(null, events.peek(), "the stream says nothing new");
            assertEquals("PENDING", sql("SELECT status FROM push_requests WHERE id = '" + id + "'"));
            app().when().get("/api/v1/push/requests/" + id).then().statusCode(200).body("status", equalTo("pending"));
            assertFalse(otherChannel.drain().stream().anyMatch(m -> "push-closed".equals(m.path("type").asText())),
                    "the other device is not told it closed");

            // Device messages routed to this replica with forged text: a request that does not exist, and the real one.
            String fakeId = java.util.UUID.randomUUID().toString();
            for (String[] request : new String[][] {{fakeId, "Pay 10000 CHF to Mallory"}, {id, "Approve Mallory's new device"}}) {
                String message = "{\"type\":\"push-request\",\"requestId\":\"" + request[0] + "\",\"challenge\":\""
                        + sent.path("challenge").asText() + "\",\"message\":\"" + request[1] + "\",\"fields\":[],\"createdAt\":\""
                        + now + "\",\"expiresAt\":\"" + created.path("expiresAt").asText() + "\"}";
                String routed = serviceJson.writeValueAsString(java.util.Map.of("kind", "deliver", "instanceId", other.iid(),
                        "message", message));
                assertEquals(1, redis.execute("PUBLISH", "cs:push:to:" + bus.replicaId(), routed).toLong());
            }
            JsonNode resent = otherChannel.next("push-request");
            assertEquals(id, resent.path("requestId").asText(), "only the request that exists is sent");
            assertEquals("Sign in", resent.path("message").asText(), "as PostgreSQL has it, not as routed");
            Thread.sleep(500);
            for (JsonNode message : otherChannel.drain()) {
                assertFalse(fakeId.equals(message.path("requestId").asText()), "no request that does not exist: " + message);
                assertFalse(message.toString().contains("Mallory"), "no routed text: " + message);
            }

            // The real, signed answer still reaches the waiters and the other device.
            answer(device, sent, "approve", display(id)).statusCode(200).body("status", equalTo("approved"));
            JsonNode answered = JSON.readTree(waiting.get(30, TimeUnit.SECONDS));
            assertEquals("approved", answered.path("status").asText());
            assertEquals(device.iid(), answered.path("instanceId").asText());
            JsonNode streamed = events.poll(20, TimeUnit.SECONDS);
            while (streamed != null && "pending".equals(streamed.path("status").asText())) {
                streamed = events.poll(20, TimeUnit.SECONDS);
            }
            assertNotNull(streamed, "the stream's final status");
            assertEquals("approved", streamed.path("status").asText());
            JsonNode closed = otherChannel.next("push-closed");
            assertEquals(id, closed.path("requestId").asText());
            assertEquals("approved", closed.path("status").asText());
        }
    }

    @Test
    void serverSentEvents_unknownRequest_404Problem() {
        app().header("Accept", "text/event-stream").when().get("/api/v1/push/requests/" + java.util.UUID.randomUUID() + "/events")
                .then().statusCode(404).body("type", equalTo("https://countersign.org/problems/unknown-push-request"));
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

    private int display(String id) throws Exception {
        return Integer.parseInt(sql("SELECT display_number FROM push_requests WHERE id = '" + id + "'"));
    }
}
