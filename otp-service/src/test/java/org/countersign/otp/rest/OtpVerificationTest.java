package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.countersign.events.Topics;
import org.countersign.otp.OtpTestBase;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * Tokens arrive as the registration-service sends them (sealed TokenImported, then LicenceAssigned),
 * and the codes come from the RFCs, not from our own generator.
 */
@QuarkusTest
class OtpVerificationTest extends OtpTestBase {

    @TestHTTPResource("/api/v1/otp/verify")
    URI verifyUri;

    @Test
    void hotp_rfc4226Codes_acceptedOnceInOrderWithinLookAhead() throws Exception {
        String serial = token("hotp:sha1:6", "quinn");
        verify("quinn", RFC4226[0], null).body("result", equalTo("accepted")).body("serialNumber", equalTo(serial));
        verify("quinn", RFC4226[0], null).body("result", equalTo("rejected"));
        verify("quinn", RFC4226[2], null).body("result", equalTo("accepted"));
        verify("quinn", RFC4226[1], null).body("result", equalTo("rejected"));
        verify("quinn", "000000", null).body("result", equalTo("rejected"));
    }

    @Test
    void hotp_sameCodeTwentyTimesAtOnce_acceptedExactlyOnce() throws Exception {
        token("hotp:sha1:6", "ruth");
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(verifyUri)
                    .header("Authorization", TestTokens.bearer(DOMAIN, "otp")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"ruth\",\"credential\":\"" + RFC4226[3] + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        int accepted = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertEquals(200, response.statusCode(), response.body());
            accepted += response.body().contains("\"accepted\"") ? 1 : 0;
        }
        assertEquals(1, accepted);
    }

    @Test
    void totp_rfc6238Sha1Vectors_acceptedOnceAtTheirTime() throws Exception {
        token("totp:sha1:8:30", "sara");
        clock.pin(Instant.ofEpochSecond(59));
        verify("sara", "94287082", null).body("result", equalTo("accepted"));
        verify("sara", "94287082", null).body("result", equalTo("rejected"));
        clock.pin(Instant.ofEpochSecond(1111111109L));
        verify("sara", "07081804", null).body("result", equalTo("accepted"));
        clock.pin(Instant.ofEpochSecond(1111111111L));
        verify("sara", "14050471", null).body("result", equalTo("accepted"));
        clock.pin(Instant.ofEpochSecond(1234567890L + 30 * 5));
        verify("sara", "89005924", null).body("result", equalTo("rejected"));
    }

    @Test
    void token_ofAnotherUserOrDomainOrSerial_rejected() throws Exception {
        String serial = token("hotp:sha1:6", "tina");
        verify("uma", RFC4226[0], null).body("result", equalTo("rejected"));
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "otp")).contentType("application/json")
                .body("{\"userId\":\"tina\",\"credential\":\"" + RFC4226[0] + "\"}").when().post("/api/v1/otp/verify")
                .then().statusCode(200).body("result", equalTo("rejected"));
        verify("tina", RFC4226[0], "OTHER-" + serial.substring(0, 8)).body("result", equalTo("rejected"));
        verify("tina", RFC4226[0], serial).body("result", equalTo("accepted"));
    }

    @Test
    void provisionedInstance_totpFromDerivedKey_acceptedOnce() throws Exception {
        // The instance secret and the expected code come from the frozen protocol vectors, so the
        // otp-service is checked against the same derivation other implementations test with.
        com.fasterxml.jackson.databind.JsonNode vector = firstActivationVector();
        Secret instanceSecret = Secret.copyOf(java.util.HexFormat.of().parseHex(vector.path("input").path("is").asText()));
        String otp = vector.path("input").path("otp").asText();
        org.countersign.protocol.OtpPolicy policy = org.countersign.protocol.OtpPolicy.parse(otp);
        // The frozen K_otp, not our own derivation: the service must derive the same key from IS.
        Secret otpKey = Secret.copyOf(java.util.HexFormat.of().parseHex(vector.path("output").path("kOtp").asText()));
        String iid = "iid-" + UUID.randomUUID().toString().substring(0, 8);
        provision("vera", iid, "SN-V1", otp, instanceSecret, Instant.parse("2026-11-23T10:00:00Z"));
        clock.pin(Instant.ofEpochSecond(1_800_000_000L));
        String code = org.countersign.protocol.Otp.atTime(policy, otpKey, 1_800_000_000L);
        verify("vera", code, null).body("result", equalTo("accepted")).body("serialNumber", equalTo("SN-V1"));
        verify("vera", code, null).body("result", equalTo("rejected"));
    }

    private static com.fasterxml.jackson.databind.JsonNode firstActivationVector() throws Exception {
        // Surefire runs in the module directory; the vectors live beside the protocol docs.
        java.nio.file.Path file = java.nio.file.Path.of("..", "docs", "protocol-vectors", "offline-activation.json");
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).path("vectors").get(0);
    }

    @Test
    void guessing_fiveFailures_lockedWithRetryAfter_adminUnlockOpens() throws Exception {
        token("hotp:sha1:6", "wanda");
        for (int i = 0; i < 5; i++) {
            verify("wanda", "000000", null).body("result", equalTo("rejected"));
        }
        verify("wanda", RFC4226[0], null).body("result", equalTo("locked"))
                .body("retryAfter", org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThan(0),
                        org.hamcrest.Matchers.lessThanOrEqualTo(300)));
        String id = given().header("Authorization", TestTokens.bearer(DOMAIN, "admin"))
                .when().get("/api/v1/otp/admin/users/wanda/credentials").then().statusCode(200)
                .body("[0].lockCount", equalTo(1)).body("[0].status", equalTo("ACTIVE")).extract().path("[0].id");
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).when()
                .post("/api/v1/otp/admin/credentials/" + id + "/unlock").then().statusCode(403);
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin")).when()
                .post("/api/v1/otp/admin/credentials/" + id + "/unlock").then().statusCode(404)
                .body("type", equalTo("https://countersign.org/problems/unknown-credential"));
        given().header("Authorization", TestTokens.bearer(DOMAIN, "admin")).when()
                .post("/api/v1/otp/admin/credentials/" + id + "/unlock").then().statusCode(204);
        verify("wanda", RFC4226[0], null).body("result", equalTo("accepted"));
    }

    /**
     * Permanent locks are a domain's opt-in now (they used to be everyone's third lock in a row): this
     * test's domain asks for them, so it has a domain of its own.
     */
    @Test
    void guessing_threeLocksInARow_domainOptedIn_lockedUntilAdminUnlocks_disableEnable() throws Exception {
        String domain = "permanent-locks.test";
        given().header("Authorization", TestTokens.bearer(domain, "otp-admin")).contentType("application/json")
                .body("{\"permanentLockAfter\":3}").when().put("/api/v1/otp/admin/settings").then().statusCode(200)
                .body("permanentLockAfter", equalTo(3));
        tokenIn(domain, "hotp:sha1:6", "xena", SEED);
        Instant start = Instant.now();
        for (int lock = 0; lock < 3; lock++) {
            // Each lock in a row lasts longer (1, 5, 15 minutes); the next round starts after it ends.
            clock.pin(start.plus(java.time.Duration.ofMinutes(new int[]{0, 2, 8}[lock])));
            for (int i = 0; i < 5; i++) {
                verifyIn(domain, "xena", "000000", null).statusCode(200).body("result", equalTo("rejected"));
            }
        }
        clock.pin(start.plus(java.time.Duration.ofHours(2)));
        verifyIn(domain, "xena", RFC4226[0], null).statusCode(200).body("result", equalTo("locked"))
                .body("retryAfter", org.hamcrest.Matchers.nullValue());
        String id = given().header("Authorization", TestTokens.bearer(domain, "admin"))
                .when().get("/api/v1/otp/admin/users/xena/credentials").then().statusCode(200)
                .body("[0].status", equalTo("LOCKED")).extract().path("[0].id");
        given().header("Authorization", TestTokens.bearer(domain, "admin")).when()
                .post("/api/v1/otp/admin/credentials/" + id + "/unlock").then().statusCode(204);
        given().header("Authorization", TestTokens.bearer(domain, "admin")).when()
                .post("/api/v1/otp/admin/credentials/" + id + "/disable").then().statusCode(204);
        verifyIn(domain, "xena", RFC4226[0], null).statusCode(200).body("result", equalTo("rejected"));
        given().header("Authorization", TestTokens.bearer(domain, "admin")).when()
                .get("/api/v1/otp/admin/users/xena/credentials").then().body("[0].status", equalTo("DISABLED"));
        given().header("Authorization", TestTokens.bearer(domain, "admin")).when()
                .post("/api/v1/otp/admin/credentials/" + id + "/enable").then().statusCode(204);
        verifyIn(domain, "xena", RFC4226[0], null).statusCode(200).body("result", equalTo("accepted"));
    }

    @Test
    void guessing_whileRedisIsDown_stillLockedThroughPostgres() throws Exception {
        token("hotp:sha1:6", "yara");
        org.countersign.testing.SharedStack.get().stopRedis();
        try {
            for (int i = 0; i < 5; i++) {
                verify("yara", "000000", null).body("result", equalTo("rejected"));
            }
            verify("yara", RFC4226[0], null).body("result", equalTo("locked"));
        } finally {
            org.countersign.testing.SharedStack.get().restartRedis();
        }
    }

    @Test
    void events_verifiedRejectedLockedUnlocked_publishedWithoutCodes() throws Exception {
        String serial = token("hotp:sha1:6", "zoe");
        verify("zoe", RFC4226[0], null).body("result", equalTo("accepted"));
        for (int i = 0; i < 5; i++) {
            verify("zoe", "000000", null).body("result", equalTo("rejected"));
        }
        String id = given().header("Authorization", TestTokens.bearer(DOMAIN, "admin"))
                .when().get("/api/v1/otp/admin/users/zoe/credentials").then().extract().path("[0].id");
        given().header("Authorization", TestTokens.bearer(DOMAIN, "admin")).when()
                .post("/api/v1/otp/admin/credentials/" + id + "/unlock").then().statusCode(204);
        List<String> types = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            types.clear();
            for (var record : authentications("zoe@" + DOMAIN)) {
                String value = new String(record.value(), StandardCharsets.UTF_8);
                for (String code : List.of(RFC4226[0], "000000")) {
                    org.junit.jupiter.api.Assertions.assertFalse(value.contains(code), "no event carries a code");
                }
                types.add(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8));
            }
            if (types.contains(org.countersign.events.payload.CredentialUnlocked.TYPE.ceType())) {
                break;
            }
            Thread.sleep(300);
        }
        assertEquals(1, types.stream().filter(t -> t.endsWith("otp-verified.v1")).count(), types.toString());
        assertEquals(5, types.stream().filter(t -> t.endsWith("otp-rejected.v1")).count(), types.toString());
        assertEquals(1, types.stream().filter(t -> t.endsWith("credential-locked.v1")).count(), types.toString());
        assertEquals(1, types.stream().filter(t -> t.endsWith("credential-unlocked.v1")).count(), types.toString());
        org.junit.jupiter.api.Assertions.assertNotNull(serial);
    }

    private List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> authentications(String key) {
        return org.countersign.testing.TopicReader.readAll(bootstrap, prefix + Topics.AUTHENTICATIONS, r -> key.equals(r.key()));
    }

    @Test
    void resync_hotpRanAhead_twoConsecutiveCodesMoveItsCounter() throws Exception {
        String serial = token("hotp:sha1:6", "amy");
        // The library generating these codes is checked against RFC 4226 on its own; here it plays the token.
        org.countersign.protocol.OtpPolicy policy = org.countersign.protocol.OtpPolicy.parse("hotp:sha1:6");
        Secret seed = Secret.copyOf(SEED);
        String c30 = org.countersign.protocol.Otp.at(policy, seed, 30);
        String c31 = org.countersign.protocol.Otp.at(policy, seed, 31);
        String c32 = org.countersign.protocol.Otp.at(policy, seed, 32);
        verify("amy", c30, null).body("result", equalTo("rejected"));
        resync("amy", serial, c30, c32).body("result", equalTo("rejected"));
        resync("amy", serial, c30, c31).body("result", equalTo("accepted"));
        verify("amy", c31, null).body("result", equalTo("rejected"));
        verify("amy", c32, null).body("result", equalTo("accepted"));
    }

    @Test
    void resync_totpClockFast_driftLearnedAndFollowed() throws Exception {
        String serial = token("totp:sha1:6:30", "bea");
        org.countersign.protocol.OtpPolicy policy = org.countersign.protocol.OtpPolicy.parse("totp:sha1:6:30");
        Secret seed = Secret.copyOf(SEED);
        long now = 1_900_000_000L;
        clock.pin(Instant.ofEpochSecond(now));
        long fast = now + 20 * 30;
        verify("bea", org.countersign.protocol.Otp.atTime(policy, seed, fast), null).body("result", equalTo("rejected"));
        // The user reads two codes in a row; the second is what the token shows now.
        resync("bea", serial, org.countersign.protocol.Otp.atTime(policy, seed, fast - 30),
                org.countersign.protocol.Otp.atTime(policy, seed, fast)).body("result", equalTo("accepted"));
        clock.pin(Instant.ofEpochSecond(now + 90));
        verify("bea", org.countersign.protocol.Otp.atTime(policy, seed, fast + 90), null).body("result", equalTo("accepted"));
        given().header("Authorization", TestTokens.bearer(DOMAIN, "admin")).when()
                .get("/api/v1/otp/admin/users/bea/credentials").then().body("[0].drift", equalTo(20));
    }

    private io.restassured.response.ValidatableResponse resync(String user, String serial, String first, String second) {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serial + "\",\"first\":\"" + first
                        + "\",\"second\":\"" + second + "\"}")
                .when().post("/api/v1/otp/resync").then().statusCode(200);
    }

    @Test
    void verify_malformed_validationProblem() {
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"userId\":\"a|b\",\"credential\":\"12ab\"}").when().post("/api/v1/otp/verify").then()
                .statusCode(400).body("type", equalTo("https://countersign.org/problems/validation"));
    }
}
