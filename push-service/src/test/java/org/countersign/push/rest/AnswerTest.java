package org.countersign.push.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.junit.jupiter.api.Test;

/**
 * Answers from devices (protocol.md, "Push requests"): a request is decided once, by a device it was
 * sent to, with the device key's signature over it as sent; everything else changes nothing.
 */
@QuarkusTest
class AnswerTest extends PushTestBase {

    @Test
    void approveWithTheAppsNumber_approved_once() throws Exception {
        String user = freshUser("anna");
        TestDevice device = onlineDevice(user);
        enable(user);
        JsonNode created = createRequest(user, "Pay ACME", "[{\"name\":\"Amount\",\"value\":\"EUR 1,250.00\"}]");
        String id = created.path("requestId").asText();
        JsonNode sent = polled(device, id);
        int display = created.path("displayNumber").asInt();
        answer(device, sent, "approve", display).statusCode(200).body("requestId", equalTo(id)).body("status", equalTo("approved"));
        app().when().get("/api/v1/push/requests/" + id).then().body("status", equalTo("approved"))
                .body("instanceId", equalTo(device.iid()));
        // A second answer, even a right one, changes nothing.
        answer(device, sent, "deny", display).statusCode(409)
                .body("type", equalTo("https://countersign.org/problems/push-request-answered"));
        app().when().get("/api/v1/push/requests/" + id).then().body("status", equalTo("approved"));
        awaitTrue(() -> pushEventTypes(user).contains("push.push-approved"), "PushApproved is published");
        JsonNode approved = pushEvents(user).stream().filter(e -> e.path("_type").asText().endsWith("push-approved.v1")).findFirst()
                .orElseThrow();
        assertEquals(dataHash(sent), approved.path("dataHash").asText());
        assertEquals(device.iid(), approved.path("instanceId").asText());
        assertEquals(List.of("push.push-requested", "push.push-approved"), requestEvents(user));
    }

    @Test
    void approveWithAnotherNumber_isADenial() throws Exception {
        String user = freshUser("bob");
        TestDevice device = onlineDevice(user);
        enable(user);
        JsonNode created = createRequest(user, "Sign in", null);
        String id = created.path("requestId").asText();
        JsonNode sent = polled(device, id);
        int wrong = -1;
        for (JsonNode option : sent.path("numberOptions")) {
            if (option.asInt() != created.path("displayNumber").asInt()) {
                wrong = option.asInt();
            }
        }
        answer(device, sent, "approve", wrong).statusCode(200).body("status", equalTo("denied")).body("reason", equalTo("wrong-number"));
        app().when().get("/api/v1/push/requests/" + id).then().body("status", equalTo("denied")).body("reason", equalTo("wrong-number"));
        // Approving without a number is a wrong number too; but the request is closed already.
        answer(device, sent, "approve", created.path("displayNumber").asInt()).statusCode(409);
        awaitTrue(() -> pushEventTypes(user).contains("push.push-denied"), "PushDenied is published");
    }

    @Test
    void approveWithoutANumber_underNumberMatching_isADenial() throws Exception {
        String user = freshUser("bea");
        TestDevice device = onlineDevice(user);
        enable(user);
        String id = createRequest(user, "Sign in", null).path("requestId").asText();
        answer(device, polled(device, id), "approve", null).statusCode(200).body("status", equalTo("denied"))
                .body("reason", equalTo("wrong-number"));
    }

    @Test
    void wronglySigned_422_changesNothing_thenARightAnswerCounts() throws Exception {
        String user = freshUser("cleo");
        TestDevice device = onlineDevice(user);
        TestDevice stranger = new TestDevice(user, DOMAIN, "web", true, null);
        enable(user);
        JsonNode created = createRequest(user, "Sign in", null);
        String id = created.path("requestId").asText();
        JsonNode sent = polled(device, id);
        int display = created.path("displayNumber").asInt();
        String hash = dataHash(sent);
        String challenge = sent.path("challenge").asText();
        // Another key; another request's challenge; the decision signed but another sent; garbage; R||S instead of DER.
        answerRaw(device, id, "approve", display, stranger.sign(id, challenge, hash, "approve", display)).statusCode(422)
                .body("type", equalTo("https://countersign.org/problems/invalid-push-signature"));
        answerRaw(device, id, "approve", display, device.sign(id, "A".repeat(43), hash, "approve", display)).statusCode(422);
        answerRaw(device, id, "approve", display, device.sign(id, challenge, hash, "deny", display)).statusCode(422);
        answerRaw(device, id, "approve", display, device.sign(id, challenge, hash, "approve", display + 1)).statusCode(422);
        answerRaw(device, id, "approve", display, "not-a-signature").statusCode(422);
        answerRaw(device, id, "APPROVE", display, device.sign(id, challenge, hash, "APPROVE", display)).statusCode(422);
        answerRaw(device, id, "approve", display, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]))
                .statusCode(422);
        app().when().get("/api/v1/push/requests/" + id).then().body("status", equalTo("pending"));
        answer(device, sent, "approve", display).statusCode(200).body("status", equalTo("approved"));
    }

    @Test
    void devicesThatWereNotSentIt_404_changesNothing() throws Exception {
        String user = freshUser("dina");
        TestDevice device = onlineDevice(user);
        TestDevice otherUsers = onlineDevice(freshUser("eve"));
        TestDevice otherTenants = onlineDevice(new TestDevice(user, OTHER_DOMAIN, "web", true, null));
        enable(user);
        JsonNode created = createRequest(user, "Sign in", null);
        String id = created.path("requestId").asText();
        JsonNode sent = polled(device, id);
        int display = created.path("displayNumber").asInt();
        // A device of the same user known only after the request was created was not sent it.
        TestDevice later = onlineDevice(user);
        for (TestDevice other : List.of(otherUsers, otherTenants, later)) {
            String signature = other.sign(id, sent.path("challenge").asText(), dataHash(sent), "approve", display);
            answerRaw(other, id, "approve", display, signature).statusCode(404)
                    .body("type", equalTo("https://countersign.org/problems/unknown-push-request"));
        }
        app().when().get("/api/v1/push/requests/" + id).then().body("status", equalTo("pending"));
        answer(device, sent, "approve", display).statusCode(200);
    }

    @Test
    void anyDeviceItWasSentTo_mayAnswer() throws Exception {
        String user = freshUser("fred");
        TestDevice first = onlineDevice(user);
        TestDevice second = onlineDevice(user);
        enable(user);
        JsonNode created = createRequest(user, "Sign in", null);
        String id = created.path("requestId").asText();
        polled(first, id);
        answer(second, polled(second, id), "approve", created.path("displayNumber").asInt()).statusCode(200);
        app().when().get("/api/v1/push/requests/" + id).then().body("instanceId", equalTo(second.iid()));
    }

    @Test
    void selectedNumberWithoutNumberMatching_400() throws Exception {
        String user = freshUser("gus");
        TestDevice device = onlineDevice(user);
        enable(user);
        String id = app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\",\"numberMatching\":false}").when()
                .post("/api/v1/push/requests").then().statusCode(201).extract().path("requestId");
        JsonNode sent = polled(device, id);
        answer(device, sent, "approve", 42).statusCode(400).body("type", equalTo("https://countersign.org/problems/validation"));
        answer(device, sent, "approve", null).statusCode(200).body("status", equalTo("approved"));
    }

    @Test
    void twentyConcurrentAnswers_exactlyOneDecides() throws Exception {
        String user = freshUser("hugo");
        TestDevice device = onlineDevice(user);
        enable(user);
        JsonNode created = createRequest(user, "Sign in", null);
        String id = created.path("requestId").asText();
        JsonNode sent = polled(device, id);
        int display = created.path("displayNumber").asInt();
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://localhost:" + io.restassured.RestAssured.port + "/api/v1/push/requests/" + id + "/response");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String decision = i % 2 == 0 ? "approve" : "deny";
            String body = "{\"decision\":\"" + decision + "\",\"selectedNumber\":" + display + ",\"signature\":\""
                    + device.sign(id, sent.path("challenge").asText(), dataHash(sent), decision, display) + "\"}";
            calls.add(http.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", device.bearer(clock.instant()))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Long> statuses = calls.stream().map(CompletableFuture::join).collect(Collectors.groupingBy(HttpResponse::statusCode,
                Collectors.counting()));
        assertEquals(Map.of(200, 1L, 409, 19L), statuses);
        awaitTrue(() -> requestEvents(user).size() == 2, "one decision event");
        Thread.sleep(500);
        List<String> types = requestEvents(user);
        assertEquals(2, types.size(), types.toString());
        assertTrue(types.get(1).equals("push.push-approved") || types.get(1).equals("push.push-denied"));
    }

    @Test
    void replayedDeviceToken_401() throws Exception {
        String user = freshUser("ida");
        TestDevice device = onlineDevice(user);
        enable(user);
        JsonNode created = createRequest(user, "Sign in", null);
        String id = created.path("requestId").asText();
        JsonNode sent = polled(device, id);
        String token = device.bearer(clock.instant());
        int display = created.path("displayNumber").asInt();
        String body = "{\"decision\":\"deny\",\"signature\":\"" + device.sign(id, sent.path("challenge").asText(), dataHash(sent),
                "deny", null) + "\"}";
        given().header("Authorization", token).contentType("application/json").body("{\"decision\":\"deny\",\"signature\":\"x\"}")
                .when().post("/api/v1/push/requests/" + id + "/response").then().statusCode(422);
        given().header("Authorization", token).contentType("application/json").body(body)
                .when().post("/api/v1/push/requests/" + id + "/response").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .body("type", equalTo("https://countersign.org/problems/invalid-device-token"));
        // An app's token is no device token.
        app().body(body).when().post("/api/v1/push/requests/" + id + "/response").then().statusCode(401);
        app().when().get("/api/v1/push/requests/" + id).then().body("status", equalTo("pending"));
        answer(device, sent, "approve", display).statusCode(200);
    }

    /** The events about the user's push requests, in order (not their settings or devices). */
    private List<String> requestEvents(String user) throws Exception {
        return pushEventTypes(user).stream().filter(t -> t.startsWith("push.")).toList();
    }
}
