package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.countersign.events.Topics;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.Base32;
import org.countersign.protocol.OfflineBundle;
import org.countersign.protocol.OfflineCheck;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offline authentication data (issue 18) through the API on the real stack: the bundle, each
 * refusal, usage reports, revocation and the admin's policy and force. Codes come from the RFC 6238
 * seed at a pinned time; bundles are read back and checked with libs/protocol, as an agent would.
 */
@QuarkusTest
class OfflineDataTest extends OtpTestBase {

    private static final String PIN = "246813";
    private static final OtpPolicy TOTP = OtpPolicy.parse("totp:sha1:6:30");
    private static final long T0 = 1_765_000_005L;
    private static final long S = T0 / 30;
    private static final String PREFIX = "https://countersign.org/problems/";

    @BeforeEach
    void enabled() {
        admin(DOMAIN).contentType("application/json").body("{\"enabled\":true}").when()
                .put("/api/v1/otp/admin/offline-data/policy").then().statusCode(200).body("enabled", equalTo(true));
        clock.pin(Instant.ofEpochSecond(T0));
    }

    private static String code(long step) {
        return Otp.at(TOTP, Secret.copyOf(SEED), step);
    }

    private String pinnedUser(String name) throws Exception {
        String user = freshUser(name);
        token("totp:sha1:6:30", user);
        admin(DOMAIN).contentType("application/json").body("{\"pin\":\"" + PIN + "\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        return user;
    }

    @Test
    void bundle_afterALoginCheck_coversTheCappedDaysFromTheNextStep_andHoldsNoSecret() throws Exception {
        String user = pinnedUser("olivia");
        String body = fetch(DOMAIN, user, PIN + code(S), "laptop-1", 30).statusCode(200)
                .contentType("application/json").extract().body().asString();
        OfflineBundle bundle = OfflineBundle.parse(body);
        assertEquals(body, bundle.toJson(), "the answer is the bundle, byte for byte as protocol.md writes it");
        assertEquals(S + 1, bundle.firstStep(), "the step the check accepted is never in the bundle");
        assertEquals(7 * 2880, bundle.stepCount(), "30 days asked, the default policy's 7 given");
        assertEquals(user, bundle.userId());
        assertEquals("laptop-1", bundle.agentId());
        assertEquals(6, bundle.pinLength());
        assertEquals(600_000, bundle.iterations());

        // An agent accepts the next step's PIN+OTP offline; the code of the fetch was consumed online.
        OfflineCheck check = bundle.check(Secret.copyOf((PIN + code(S + 1)).getBytes(StandardCharsets.UTF_8)), (S + 1) * 30,
                step -> false);
        assertEquals(S + 1, check.step());
        verify(user, PIN + code(S), null).body("result", equalTo("rejected"));

        for (String secret : List.of(PIN, HexFormat.of().formatHex(SEED), Base64.getEncoder().encodeToString(SEED),
                Base64.getUrlEncoder().withoutPadding().encodeToString(SEED), Base32.encode(SEED))) {
            assertFalse(body.contains(secret), "no PIN and no OTP key in the bundle");
        }
        var issued = TopicReader.await(bootstrap, prefix + Topics.AUTHENTICATIONS, r -> (user + "@" + DOMAIN).equals(r.key())
                && "org.countersign.authentication.offline-data-issued.v1".equals(TopicReader.header(r, "ce_type")),
                Duration.ofSeconds(30));
        String event = new String(issued.value(), StandardCharsets.UTF_8);
        assertTrue(event.contains("\"endStep\":" + (S + 1 + 7 * 2880)), event);
        for (String leak : List.of(PIN, "tags", "salt", Base64.getUrlEncoder().withoutPadding().encodeToString(bundle.tags())
                .substring(0, 22))) {
            assertFalse(event.contains(leak), "the event carries no tags, salt or PIN");
        }
        assertEquals(1, count("SELECT count(*) FROM offline_agents WHERE user_id = '" + user + "'"));
    }

    @Test
    void wrongPinOrOtp_answeredAlike_countedAsAnyFailedCheck_thenLocked() throws Exception {
        String user = pinnedUser("wendy");
        String wrongPin = fetch(DOMAIN, user, "135797" + code(S), "laptop-1", 7).statusCode(403).extract().body().asString();
        String wrongOtp = fetch(DOMAIN, user, PIN + "000000", "laptop-1", 7).statusCode(403).extract().body().asString();
        assertEquals(wrongPin, wrongOtp, "nothing says which part was wrong");
        assertTrue(wrongPin.contains(PREFIX + "credential-rejected"), wrongPin);
        for (int i = 0; i < 3; i++) {
            fetch(DOMAIN, user, PIN + "000000", "laptop-1", 7).statusCode(403);
        }
        fetch(DOMAIN, user, PIN + code(S), "laptop-1", 7).statusCode(429)
                .header("Retry-After", "60").body("type", equalTo(PREFIX + "credential-locked"));
        verify(user, PIN + code(S), null).body("result", equalTo("locked"));
        assertEquals(0, count("SELECT count(*) FROM offline_agents WHERE user_id = '" + user + "'"));
    }

    @Test
    void noServerPin_refusedAfterTheCheck_withoutSayingSoToAWrongGuess() throws Exception {
        String user = freshUser("nopin");
        token("totp:sha1:6:30", user);
        fetch(DOMAIN, user, PIN + code(S), "laptop-1", 7).statusCode(403).body("type", equalTo(PREFIX + "credential-rejected"));
        fetch(DOMAIN, user, code(S), "laptop-1", 7).statusCode(409).body("type", equalTo(PREFIX + "offline-data-needs-pin"));
        assertEquals(0, count("SELECT count(*) FROM offline_agents WHERE user_id = '" + user + "'"));
    }

    @Test
    void hotpOnly_refusedBeforeTheCheck_soTheCodeIsNotConsumed() throws Exception {
        String user = freshUser("hotty");
        token("hotp:sha1:6", user);
        admin(DOMAIN).contentType("application/json").body("{\"pin\":\"" + PIN + "\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        fetch(DOMAIN, user, PIN + RFC4226[0], "laptop-1", 7).statusCode(409)
                .body("type", equalTo(PREFIX + "offline-data-needs-totp"));
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("accepted"));
    }

    @Test
    void pinShorterThanSix_setUnderAnOlderPolicy_refusedAfterTheCheck() throws Exception {
        String user = pinnedUser("shorty");
        // A 4-digit PIN as an older policy allowed it: its Argon2id hash written as PinHasher would have.
        byte[] salt = new byte[16];
        byte[] hash = new byte[32];
        org.bouncycastle.crypto.generators.Argon2BytesGenerator argon2 = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        argon2.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13).withSalt(salt)
                .withMemoryAsKB(19456).withIterations(2).withParallelism(1).build());
        argon2.generateBytes("1357".getBytes(StandardCharsets.UTF_8), hash);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl + "?currentSchema=otp", "postgres", "");
             java.sql.PreparedStatement update = c.prepareStatement("UPDATE users SET pin_hash = ?, pin_salt = ?,"
                     + " pin_memory_kib = 19456, pin_iterations = 2, pin_parallelism = 1 WHERE user_id = ?")) {
            update.setBytes(1, hash);
            update.setBytes(2, salt);
            update.setString(3, user);
            assertEquals(1, update.executeUpdate());
        }
        verify(user, "1357" + code(S), null).body("result", equalTo("accepted"));
        fetch(DOMAIN, user, "1357" + code(S + 1), "laptop-1", 7).statusCode(409)
                .body("type", equalTo(PREFIX + "offline-data-pin-too-short"));
        assertEquals(0, count("SELECT count(*) FROM offline_agents WHERE user_id = '" + user + "'"));
    }

    @Test
    void refreshWithinADay_refusedWithWhen_codeKept_untilAnAdminForcesIt() throws Exception {
        String user = pinnedUser("rita");
        fetch(DOMAIN, user, PIN + code(S), "laptop-1", 7).statusCode(200);
        clock.pin(Instant.ofEpochSecond(T0 + 3600));
        long later = S + 120;
        fetch(DOMAIN, user, PIN + code(later), "laptop-1", 7).statusCode(429)
                .header("Retry-After", Long.toString(86_400 - 3600))
                .body("type", equalTo(PREFIX + "offline-data-refresh-too-soon"))
                .body("nextRefreshAt", equalTo(Instant.ofEpochSecond(T0).plus(Duration.ofDays(1)).toString()));
        // Another agent of the same user is another row: it may have data.
        fetch(DOMAIN, user, PIN + code(later), "desktop-2", 7).statusCode(200);

        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp-admin")).queryParam("userId", user).when()
                .post("/api/v1/otp/admin/offline-data/agents/laptop-1/force-refresh").then().statusCode(204);
        clock.pin(Instant.ofEpochSecond(T0 + 3630));
        OfflineBundle refreshed = OfflineBundle.parse(fetch(DOMAIN, user, PIN + code(later + 1), "laptop-1", 7).statusCode(200)
                .extract().body().asString());
        assertEquals(later + 2, refreshed.firstStep());
        // The force is used up by that refresh.
        clock.pin(Instant.ofEpochSecond(T0 + 3660));
        fetch(DOMAIN, user, PIN + code(later + 2), "laptop-1", 7).statusCode(429);
        // A day after the last refresh, the next is allowed again.
        clock.pin(Instant.ofEpochSecond(T0 + 3630 + 86_400));
        fetch(DOMAIN, user, PIN + code((T0 + 3630 + 86_400) / 30), "laptop-1", 7).statusCode(200);
    }

    @Test
    void policy_perDomain_disabledCappedAndForceForbidden() throws Exception {
        String domain = "offline-policy.test";
        String user = freshUser("pam");
        tokenIn(domain, "totp:sha1:6:30", user, SEED);
        admin(domain).contentType("application/json").body("{\"pin\":\"" + PIN + "\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        admin(domain).when().get("/api/v1/otp/admin/offline-data/policy").then().statusCode(200)
                .body("enabled", equalTo(false)).body("maxDays", equalTo(7)).body("iterations", equalTo(600_000))
                .body("adminsMayForce", equalTo(true));
        fetch(domain, user, PIN + code(S), "laptop-1", 7).statusCode(403).body("type", equalTo(PREFIX + "offline-data-disabled"));

        admin(domain).contentType("application/json")
                .body("{\"enabled\":true,\"maxDays\":2,\"iterations\":100000,\"adminsMayForce\":false}").when()
                .put("/api/v1/otp/admin/offline-data/policy").then().statusCode(200).body("maxDays", equalTo(2));
        // The disabled answer came before the check: the code is still good.
        OfflineBundle bundle = OfflineBundle.parse(fetch(domain, user, PIN + code(S), "laptop-1", 7).statusCode(200)
                .extract().body().asString());
        assertEquals(2 * 2880, bundle.stepCount());
        assertEquals(100_000, bundle.iterations());
        admin(domain).queryParam("userId", user).when().post("/api/v1/otp/admin/offline-data/agents/laptop-1/force-refresh")
                .then().statusCode(403).body("type", equalTo(PREFIX + "offline-refresh-force-not-allowed"));
        admin(domain).contentType("application/json").body("{\"iterations\":99999,\"maxDays\":32}").when()
                .put("/api/v1/otp/admin/offline-data/policy").then().statusCode(400).body("type", equalTo(PREFIX + "validation"));
        given().header("Authorization", TestTokens.bearer(domain, "otp")).when().get("/api/v1/otp/admin/offline-data/policy")
                .then().statusCode(403);
    }

    @Test
    void usage_movesTheReplayStatePastReportedSteps_onlyForward_andRefusesOthersWhole() throws Exception {
        String user = pinnedUser("uma");
        fetch(DOMAIN, user, PIN + code(S), "laptop-1", 7).statusCode(200);
        // The agent accepted S + 2 offline; it reports when it is back online, within that step.
        clock.pin(Instant.ofEpochSecond((S + 2) * 30 + 10));
        report(DOMAIN, user, "laptop-1", S + 2, S + 2).statusCode(200).body("steps", equalTo(1))
                .body("lastStep", equalTo((int) (S + 2))).body("replayStateMoved", equalTo(true));
        verify(user, PIN + code(S + 2), null).body("result", equalTo("rejected"));
        report(DOMAIN, user, "laptop-1", S + 2).statusCode(200).body("replayStateMoved", equalTo(false));
        report(DOMAIN, user, "laptop-1", S + 1).statusCode(200).body("replayStateMoved", equalTo(false));
        assertEquals(1, count("SELECT count(*) FROM credentials c JOIN licence_owners o ON o.serial_number = c.serial_number"
                + " WHERE o.user_id = '" + user + "' AND c.last_accepted = " + (S + 2)), "never backwards");

        report(DOMAIN, user, "laptop-1", S + 2, S).statusCode(409).body("type", equalTo(PREFIX + "offline-usage-outside-data"));
        report(DOMAIN, user, "laptop-1", S + 2 + 2880 * 7).statusCode(409);
        report(DOMAIN, user, "laptop-1", S + 5).statusCode(409).body("type", equalTo(PREFIX + "offline-usage-in-future"));
        verify(user, PIN + code(S + 3), null).body("result", equalTo("accepted"));
        report(DOMAIN, user, "no-such-agent", S + 2).statusCode(404).body("type", equalTo(PREFIX + "unknown-offline-data"));
        report(TestTokens.OTHER_DOMAIN, user, "laptop-1", S + 2).statusCode(404);
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"agentId\":\"laptop-1\",\"steps\":[]}").when()
                .post("/api/v1/otp/offline-data/usage").then().statusCode(400);
    }

    @Test
    void revoked_refusesReportsAndRefreshes_untilAnAdminForces() throws Exception {
        String user = pinnedUser("rex");
        fetch(DOMAIN, user, PIN + code(S), "laptop-1", 7).statusCode(200);
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp-admin")).queryParam("userId", user).when()
                .delete("/api/v1/otp/offline-data/laptop-1").then().statusCode(204);
        revoke(DOMAIN, user, "laptop-1").statusCode(204);
        revoke(DOMAIN, user, "unknown-1").statusCode(404).body("type", equalTo(PREFIX + "unknown-offline-data"));
        revoke(TestTokens.OTHER_DOMAIN, user, "laptop-1").statusCode(404);
        clock.pin(Instant.ofEpochSecond(T0 + 40));
        report(DOMAIN, user, "laptop-1", S + 1).statusCode(409).body("type", equalTo(PREFIX + "offline-data-revoked"));
        clock.pin(Instant.ofEpochSecond(T0 + 2 * 86_400));
        long day2 = (T0 + 2 * 86_400) / 30;
        fetch(DOMAIN, user, PIN + code(day2), "laptop-1", 7).statusCode(409).body("type", equalTo(PREFIX + "offline-data-revoked"));

        String agents = admin(DOMAIN).queryParam("userId", user).when().get("/api/v1/otp/admin/offline-data/agents").then()
                .statusCode(200).body("[0].agentId", equalTo("laptop-1")).body("[0].revokedAt", org.hamcrest.Matchers.notNullValue())
                .extract().body().asString();
        assertFalse(agents.contains("tags") || agents.contains("salt"), agents);

        admin(DOMAIN).queryParam("userId", user).when().post("/api/v1/otp/admin/offline-data/agents/laptop-1/force-refresh")
                .then().statusCode(204);
        fetch(DOMAIN, user, PIN + code(day2), "laptop-1", 7).statusCode(200);
        TopicReader.await(bootstrap, prefix + Topics.AUTHENTICATIONS, r -> (user + "@" + DOMAIN).equals(r.key())
                && "org.countersign.authentication.offline-data-revoked.v1".equals(TopicReader.header(r, "ce_type")),
                Duration.ofSeconds(30));
        assertEquals(1, TopicReader.readAll(bootstrap, prefix + Topics.AUTHENTICATIONS, r -> (user + "@" + DOMAIN).equals(r.key())
                && "org.countersign.authentication.offline-data-revoked.v1".equals(TopicReader.header(r, "ce_type"))).size(),
                "revoking twice publishes once");
    }

    private static io.restassured.specification.RequestSpecification admin(String domain) {
        return given().header("Authorization", TestTokens.bearer(domain, "otp-admin"));
    }

    private static ValidatableResponse fetch(String domain, String user, String typed, String agent, int days) {
        return given().header("Authorization", TestTokens.bearer(domain, "otp")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"credential\":\"" + typed + "\",\"agentId\":\"" + agent + "\",\"days\":" + days
                        + "}").when().post("/api/v1/otp/offline-data").then();
    }

    private static ValidatableResponse report(String domain, String user, String agent, long... steps) {
        StringBuilder list = new StringBuilder();
        for (long step : steps) {
            list.append(list.isEmpty() ? "" : ",").append(step);
        }
        return given().header("Authorization", TestTokens.bearer(domain, "otp")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"agentId\":\"" + agent + "\",\"steps\":[" + list + "]}").when()
                .post("/api/v1/otp/offline-data/usage").then();
    }

    private static ValidatableResponse revoke(String domain, String user, String agent) {
        return given().header("Authorization", TestTokens.bearer(domain, "otp")).queryParam("userId", user).when()
                .delete("/api/v1/otp/offline-data/" + agent).then();
    }
}
