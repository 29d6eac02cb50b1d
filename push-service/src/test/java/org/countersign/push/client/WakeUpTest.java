package org.countersign.push.client;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.http.HttpVersion;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.countersign.push.ChannelClient;
import org.countersign.push.ProviderFakes;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * Wake-ups through FCM and APNs, against real HTTP servers on loopback that check the request format
 * and answer as the providers do: fine, slowly, with errors, or with "unregistered".
 */
@QuarkusTest
class WakeUpTest extends PushTestBase {

    private static final String SECRET_WORDS = "Transfer 9,999.00 to Mallory";

    @Test
    void androidNotConnected_fcmWakeUp_authenticatedAndCarryingNothingAboutTheUser() throws Exception {
        String user = freshUser("andy");
        String token = "ok-" + UUID.randomUUID();
        TestDevice device = onlineDevice(user, "android", true, token);
        enable(user);
        createRequest(user, SECRET_WORDS, "[{\"name\":\"IBAN\",\"value\":\"CH93 0076 2011 6238 5295 7\"}]");
        awaitTrue(() -> !ProviderFakes.receivedFor(token).isEmpty(), "FCM is called");
        ProviderFakes.Received send = ProviderFakes.receivedFor(token).get(0);
        assertEquals("/v1/projects/" + ProviderFakes.PROJECT + "/messages:send", send.path());
        assertTrue(send.headers().get("authorization").startsWith("Bearer fake-access-"), "the OAuth access token");
        JsonNode message = JSON.readTree(send.body()).path("message");
        assertEquals(token, message.path("token").asText());
        assertEquals("{\"type\":\"countersign-wake\"}", message.path("data").toString());
        assertEquals("HIGH", message.path("android").path("priority").asText());
        assertTrue(message.path("notification").isMissingNode(), "a data message: nothing for the phone to display");
        assertNoUserData(send.body(), user, device);

        // The token came from the token endpoint, for a valid RS256 assertion of the service account.
        ProviderFakes.Received tokenCall = ProviderFakes.received().stream().filter(r -> r.path().equals("/token")).findFirst()
                .orElseThrow();
        String form = tokenCall.body();
        assertTrue(form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"), form);
        String assertion = URLDecoder.decode(form.substring(form.indexOf("assertion=") + 10).split("&")[0], StandardCharsets.UTF_8);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256));
        jws.setCompactSerialization(assertion);
        jws.setKey(ProviderFakes.fcmKey().getPublic());
        assertTrue(jws.verifySignature(), "signed with the service account's key");
        assertEquals("fcm-key-1", jws.getKeyIdHeaderValue());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals(ProviderFakes.CLIENT_EMAIL, claims.getIssuer());
        assertEquals(List.of(ProviderFakes.tokenUrl()), claims.getAudience());
        assertEquals("https://www.googleapis.com/auth/firebase.messaging", claims.getStringClaimValue("scope"));
        assertEquals(3600, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
    }

    @Test
    void iosNotConnected_apnsWakeUp_overHttp2_withAProviderToken() throws Exception {
        String user = freshUser("iris");
        String token = "ok-" + UUID.randomUUID().toString().replace("-", "");
        TestDevice device = onlineDevice(user, "ios", true, token);
        enable(user);
        JsonNode created = createRequest(user, SECRET_WORDS, null);
        awaitTrue(() -> !ProviderFakes.receivedFor(token).isEmpty(), "APNs is called");
        ProviderFakes.Received send = ProviderFakes.receivedFor(token).get(0);
        assertEquals(HttpVersion.HTTP_2, send.version());
        assertEquals("/3/device/" + token, send.path());
        assertEquals(ProviderFakes.APNS_TOPIC, send.headers().get("apns-topic"));
        assertEquals("alert", send.headers().get("apns-push-type"));
        assertEquals("10", send.headers().get("apns-priority"));
        assertEquals(Long.toString(java.time.Instant.parse(created.path("expiresAt").asText()).getEpochSecond()),
                send.headers().get("apns-expiration"));
        JsonNode body = JSON.readTree(send.body());
        assertEquals("COUNTERSIGN_PUSH_WAKE", body.path("aps").path("alert").path("loc-key").asText());
        assertTrue(body.path("aps").path("alert").path("body").isMissingNode(), "no text of ours on the lock screen");
        assertNoUserData(send.body(), user, device);

        String jwt = send.headers().get("authorization").substring("bearer ".length());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
        jws.setCompactSerialization(jwt);
        jws.setKey(ProviderFakes.apnsKey().getPublic());
        assertTrue(jws.verifySignature(), "signed ES256 with the .p8 key");
        assertEquals(ProviderFakes.APNS_KEY_ID, jws.getKeyIdHeaderValue());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals(ProviderFakes.APNS_TEAM_ID, claims.getIssuer());
        assertTrue(claims.getIssuedAt() != null);
    }

    @Test
    void unregisteredToken_isDisabled_andNeverCalledAgain_untilTheDeviceSendsANewOne() throws Exception {
        for (String platform : List.of("android", "ios")) {
            String user = freshUser("una");
            String token = "unregistered-" + UUID.randomUUID();
            TestDevice device = onlineDevice(user, platform, true, token);
            enable(user);
            JsonNode first = createRequest(user, "Sign in", null);
            awaitTrue(() -> "disabled".equals(admin().when().get("/api/v1/devices?userId=" + user).then().extract().path("[0].wakeUps")),
                    platform + ": the token is disabled");
            assertEquals(1, ProviderFakes.attempts(token), "not retried: the token is gone for good");
            answer(device, polled(device, first.path("requestId").asText()), "deny", null).statusCode(200);
            createRequest(user, "Sign in", null);
            Thread.sleep(500);
            assertEquals(1, ProviderFakes.attempts(token), platform + ": a disabled token is not called");

            // An APNs token is hex (the fake answers 200 to any token without a known prefix).
            String fresh = platform.equals("ios") ? UUID.randomUUID().toString().replace("-", "").repeat(2) : "ok-" + UUID.randomUUID();
            RestAssured.given().header("Authorization", device.bearer(clock.instant())).contentType("application/json")
                    .body("{\"pushToken\":\"" + fresh + "\"}").when().put("/api/v1/devices/me/push-token").then().statusCode(204);
            admin().when().get("/api/v1/devices?userId=" + user).then().body("[0].wakeUps", equalTo(platform.equals("ios") ? "apns" : "fcm"));
        }
    }

    @Test
    void slowProvider_timesOut_andTheRetryGetsThrough() throws Exception {
        String user = freshUser("sam");
        String token = "slow-" + UUID.randomUUID();
        onlineDevice(user, "android", true, token);
        enable(user);
        createRequest(user, "Sign in", null);
        awaitTrue(() -> ProviderFakes.attempts(token) >= 2, "a second attempt after the first timed out");
        Thread.sleep(500);
        assertEquals(2, ProviderFakes.attempts(token), "the second one was answered: no third");
    }

    @Test
    void failingProvider_retriedUpToTheLimit_thenLeftToPolling() throws Exception {
        String user = freshUser("finn");
        String token = "error-" + UUID.randomUUID();
        TestDevice device = onlineDevice(user, "ios", true, token);
        enable(user);
        String id = createRequest(user, "Sign in", null).path("requestId").asText();
        awaitTrue(() -> ProviderFakes.attempts(token) >= 3, "three attempts");
        Thread.sleep(800);
        assertEquals(3, ProviderFakes.attempts(token), "countersign.push.wake-ups.max-attempts");
        // The request waits for the device all the same.
        polled(device, id);
        String flaky = "flaky-" + UUID.randomUUID();
        String other = freshUser("flo");
        onlineDevice(other, "android", true, flaky);
        enable(other);
        createRequest(other, "Sign in", null);
        awaitTrue(() -> ProviderFakes.attempts(flaky) == 2, "a 500 is retried once and then succeeds");
    }

    @Test
    void deadProvider_circuitOpens_andCallsStop_thenItRecovers() throws Exception {
        String token = "error-circuit-" + UUID.randomUUID();
        // Twenty failed calls in a row open the circuit (test config): seven wake-ups of three attempts each.
        for (int i = 0; i < 7; i++) {
            String user = freshUser("cb");
            onlineDevice(user, "android", true, token);
            enable(user);
            createRequest(user, "Sign in", null);
            int expected = Math.min(20, (i + 1) * 3);
            awaitTrue(() -> ProviderFakes.attempts(token) >= expected, "attempts reach " + expected);
            Thread.sleep(300);
        }
        int whenOpen = ProviderFakes.attempts(token);
        assertTrue(whenOpen <= 21, "the circuit opened: " + whenOpen);
        String healthy = "ok-after-circuit-" + UUID.randomUUID();
        String user = freshUser("cb");
        onlineDevice(user, "android", true, healthy);
        enable(user);
        // While open, FCM is not called at all; after circuit-open-for (1 s) it is tried again.
        Thread.sleep(1_500);
        createRequest(user, "Sign in", null);
        awaitTrue(() -> ProviderFakes.attempts(healthy) == 1, "FCM is called again once the circuit half-opens");
        assertEquals(whenOpen, ProviderFakes.attempts(token));
    }

    @Test
    void connectedDevice_isNotWoken() throws Exception {
        String user = freshUser("cody");
        String token = "ok-" + UUID.randomUUID();
        TestDevice device = onlineDevice(user, "android", true, token);
        enable(user);
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            channel.next("welcome");
            awaitTrue(() -> Boolean.TRUE.equals(admin().when().get("/api/v1/devices?userId=" + user).then().extract()
                    .path("[0].connected")), "connected");
            createRequest(user, "Sign in", null);
            channel.next("push-request");
            Thread.sleep(500);
            assertEquals(0, ProviderFakes.attempts(token));
        }
    }

    private static void assertNoUserData(String body, String user, TestDevice device) {
        for (String secret : new String[] {user, SECRET_WORDS, "Transfer", "IBAN", "CH93", device.iid(), device.serial(), "Sign in"}) {
            assertFalse(body.contains(secret), "a wake-up carries no user identity or text: " + secret);
        }
    }

    @Test
    void iosPushToken_notHex_400Problem_androidTokensAsBefore() throws Exception {
        TestDevice ios = onlineDevice(freshUser("ivo"), "ios", true, null);
        for (String token : new String[] {"ok-/../../3/device/other", "abc?x=1", "abcd#x", "abc", "0123456789abcdefg0"}) {
            RestAssured.given().header("Authorization", ios.bearer(clock.instant())).contentType("application/json")
                    .body("{\"pushToken\":\"" + token + "\"}").when().put("/api/v1/devices/me/push-token").then().statusCode(400)
                    .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                    .body("type", equalTo("https://countersign.org/problems/invalid-push-token"));
        }
        String hex = UUID.randomUUID().toString().replace("-", "").repeat(2);
        RestAssured.given().header("Authorization", ios.bearer(clock.instant())).contentType("application/json")
                .body("{\"pushToken\":\"" + hex.toUpperCase(java.util.Locale.ROOT) + "\"}").when().put("/api/v1/devices/me/push-token")
                .then().statusCode(204);
        TestDevice android = onlineDevice(freshUser("ada"), "android", true, null);
        RestAssured.given().header("Authorization", android.bearer(clock.instant())).contentType("application/json")
                .body("{\"pushToken\":\"ok-" + UUID.randomUUID() + ":APA91b/x_y\"}").when().put("/api/v1/devices/me/push-token")
                .then().statusCode(204);
    }

    @Test
    void iosTokenFromAnActivation_withPathCharacters_isEncodedIntoOneSegment() throws Exception {
        // Tokens that come with an activation are not checked as hex: the client encodes what it puts in the path.
        String user = freshUser("otto");
        String token = "ok-" + UUID.randomUUID().toString().replace("-", "") + "/../x?y=1#z";
        onlineDevice(user, "ios", true, token);
        enable(user);
        createRequest(user, "Sign in", null);
        String encoded = java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
        awaitTrue(() -> !ProviderFakes.receivedFor(encoded).isEmpty(), "APNs is called for the token, encoded");
        assertEquals("/3/device/" + encoded, ProviderFakes.receivedFor(encoded).get(0).path());
    }
}
