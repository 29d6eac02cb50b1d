package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.countersign.events.Topics;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.junit.jupiter.api.Test;

/**
 * The server PIN: set by an admin, changed by the user with the old one, and typed before the OTP.
 * Codes come from RFC 4226 and RFC 6238; every step goes through the API on the real stack.
 */
@QuarkusTest
class PinVerificationTest extends OtpTestBase {

    private static final String PIN = "246813";

    @Inject
    RedisDataSource redis;

    @Test
    void pinOtp_rightPinAndCode_acceptedOnce() throws Exception {
        String user = freshUser("pia");
        String serial = token("hotp:sha1:6", user);
        setPin(user, PIN).statusCode(204);
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("accepted")).body("serialNumber", equalTo(serial));
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("rejected"));
        verify(user, PIN + RFC4226[1], serial).body("result", equalTo("accepted"));
    }

    @Test
    void pinOtp_wrongPinRightCode_rejectedAlikeAndCodeNotBurned() throws Exception {
        String user = freshUser("pete");
        token("hotp:sha1:6", user);
        setPin(user, PIN).statusCode(204);
        String wrongPin = verify(user, "135797" + RFC4226[0], null).extract().body().asString();
        String wrongOtp = verify(user, PIN + "000000", null).extract().body().asString();
        String both = verify(user, "135797000000", null).extract().body().asString();
        // Not a word about which part was wrong: the three answers are the same bytes.
        assertEquals("{\"result\":\"rejected\"}", wrongPin);
        assertEquals(wrongPin, wrongOtp);
        assertEquals(wrongPin, both);
        // The wrong PIN did not consume the code: with the right PIN it is still accepted, once.
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("accepted"));
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("rejected"));
    }

    @Test
    void pinOtp_otpAloneOrMalformed_rejectedNotBadRequest() throws Exception {
        String user = freshUser("paul");
        token("hotp:sha1:6", user);
        setPin(user, PIN).statusCode(204);
        verify(user, RFC4226[0], null).body("result", equalTo("rejected"));
        verify(user, PIN + "12ab56", null).body("result", equalTo("rejected"));
        verify(user, PIN + "75522", null).body("result", equalTo("rejected"));
        verify(user, "9" + PIN + RFC4226[0], null).body("result", equalTo("rejected"));
        // None of those consumed the code.
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("accepted"));
    }

    @Test
    void pinOtp_tokensOfSixAndEightDigits_eachSplitByItsOwnLength() throws Exception {
        String user = freshUser("phil");
        String hotp = token("hotp:sha1:6", user);
        String totp = token("totp:sha1:8:30", user);
        setPin(user, PIN).statusCode(204);
        clock.pin(Instant.ofEpochSecond(59));
        // RFC 6238 Appendix B, SHA-1 at T = 59.
        verify(user, PIN + "94287082", null).body("result", equalTo("accepted")).body("serialNumber", equalTo(totp));
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("accepted")).body("serialNumber", equalTo(hotp));
    }

    @Test
    void noPin_otpAloneAccepted_pinPlusOtpRejected() throws Exception {
        String user = freshUser("nina");
        token("hotp:sha1:6", user);
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("rejected"));
        verify(user, RFC4226[0], null).body("result", equalTo("accepted"));
    }

    @Test
    void admin_setResetAndDelete_pinFollows() throws Exception {
        String user = freshUser("ada");
        token("hotp:sha1:6", user);
        setPin(user, PIN).statusCode(204);
        setPin(user, "864297").statusCode(204);
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("rejected"));
        verify(user, "864297" + RFC4226[0], null).body("result", equalTo("accepted"));
        admin().when().delete("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        admin().when().delete("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        verify(user, "864297" + RFC4226[1], null).body("result", equalTo("rejected"));
        verify(user, RFC4226[1], null).body("result", equalTo("accepted"));
        assertEquals(0, count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND pin_hash IS NOT NULL"));
    }

    @Test
    void admin_pinEndpoints_needAdminScope() throws Exception {
        String user = freshUser("olga");
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"pin\":\"" + PIN + "\"}").when().put("/api/v1/otp/admin/users/" + user + "/pin").then()
                .statusCode(403).body("type", equalTo("https://countersign.org/problems/forbidden"));
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).when()
                .delete("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(403);
        given().contentType("application/json").body("{\"pin\":\"" + PIN + "\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(401);
        assertEquals(0, count("SELECT count(*) FROM users WHERE user_id = '" + user + "'"));
    }

    @Test
    void change_rightOldPinAndOtp_newPinWorksOldDoesNot_otpConsumed() throws Exception {
        String user = freshUser("carl");
        token("hotp:sha1:6", user);
        setPin(user, PIN).statusCode(204);
        change(user, PIN, RFC4226[0], "975310").statusCode(200).body("result", equalTo("changed"));
        // The OTP proved the change and is spent, like a login's.
        verify(user, "975310" + RFC4226[0], null).body("result", equalTo("rejected"));
        verify(user, PIN + RFC4226[1], null).body("result", equalTo("rejected"));
        verify(user, "975310" + RFC4226[1], null).body("result", equalTo("accepted"));
        change(user, PIN, RFC4226[2], "111111").statusCode(200).body("result", equalTo("rejected"));
    }

    @Test
    void change_wrongOldPinOrOtpOrNoPin_sameRejection_countsLikeLoginsUntilLocked() throws Exception {
        String withPin = freshUser("dora");
        String withoutPin = freshUser("dave");
        token("hotp:sha1:6", withPin);
        token("hotp:sha1:6", withoutPin);
        setPin(withPin, PIN).statusCode(204);
        String wrongPin = change(withPin, "000000", RFC4226[0], "111111").statusCode(200).extract().body().asString();
        String wrongOtp = change(withPin, PIN, "000000", "111111").statusCode(200).extract().body().asString();
        String none = change(withoutPin, PIN, RFC4226[0], "111111").statusCode(200).extract().body().asString();
        assertEquals("{\"result\":\"rejected\"}", wrongPin);
        assertEquals(wrongPin, wrongOtp, "a wrong OTP is answered like a wrong old PIN");
        assertEquals(wrongPin, none, "a user without a PIN is answered like a wrong old PIN");
        // The same budget as logins: 5 failures of the credential lock it, for a minute at first.
        for (int i = 2; i < 5; i++) {
            change(withPin, "000000", RFC4226[0], "111111").statusCode(200).body("result", equalTo("rejected"));
        }
        Instant now = Instant.now();
        clock.pin(now);
        change(withPin, PIN, RFC4226[0], "111111").statusCode(200).body("result", equalTo("locked"))
                .body("retryAfter", allOf(greaterThan(0), lessThanOrEqualTo(60)));
        // The lock holds for verification too, and the old PIN stayed; no wrong attempt consumed the code.
        verify(withPin, PIN + RFC4226[0], null).body("result", equalTo("locked"));
        clock.pin(now.plusSeconds(61));
        change(withPin, PIN, RFC4226[0], "111111").statusCode(200).body("result", equalTo("changed"));
        // The user without a PIN still has none, and the code was not consumed.
        verify(withoutPin, RFC4226[0], null).body("result", equalTo("accepted"));
    }

    @Test
    void policy_eachRule_ownProblemType_pinNeverEchoed() {
        String user = freshUser("rita");
        policyViolation(setPin(user, "123"), "pin-too-short", "123");
        policyViolation(setPin(user, "12345678901234567"), "pin-too-long", "12345678901234567");
        policyViolation(setPin(user, "12a4"), "pin-not-digits", "12a4");
        policyViolation(setPin(user, "12 34"), "pin-not-digits", "12 34");
        policyViolation(setPin(user, "12345"), "pin-too-short", "12345");
        policyViolation(change(user, "000000", "000000", "98765"), "pin-too-short", "98765");
        policyViolation(change(user, "000000", "000000", "98765432109876543"), "pin-too-long", "98765432109876543");
        policyViolation(change(user, "000000", "000000", "98x654"), "pin-not-digits", "98x654");
        // The limits themselves are accepted.
        setPin(user, "123456").statusCode(204);
        setPin(user, "1234567890123456").statusCode(204);
    }

    @Test
    void malformedRequests_validationProblems_noPinInAnswer() {
        String user = freshUser("vic");
        admin().contentType("application/json").body("{}").when().put("/api/v1/otp/admin/users/" + user + "/pin")
                .then().statusCode(400).body("type", equalTo("https://countersign.org/problems/validation"))
                .body("errors[0].field", equalTo("body.pin"));
        admin().contentType("application/json").body("{\"pin\":\"4711\",\"pim\":\"4711\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(400)
                .body(not(containsString("4711")));
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"oldPin\":\"" + "9".repeat(65) + "\",\"otp\":\"000000\",\"newPin\":\"4711\"}").when()
                .post("/api/v1/otp/users/" + user + "/pin/change").then().statusCode(400)
                .body("type", equalTo("https://countersign.org/problems/validation")).body(not(containsString("4711")));
        verifyIn(DOMAIN, user, "1".repeat(73), null).statusCode(400)
                .body("type", equalTo("https://countersign.org/problems/validation"));
        verifyIn(DOMAIN, user, "1234 755224", null).statusCode(400);
    }

    @Test
    void crossTenant_otherDomainsToken_cannotSetChangeOrUseAnAcmePin() throws Exception {
        String user = freshUser("tess");
        token("hotp:sha1:6", user);
        setPin(user, PIN).statusCode(204);
        // An otp token of another domain acts in its own domain: nothing there, rejected.
        verifyIn(TestTokens.OTHER_DOMAIN, user, PIN + RFC4226[0], null).statusCode(200).body("result", equalTo("rejected"));
        String changeBody = "{\"oldPin\":\"" + PIN + "\",\"otp\":\"" + RFC4226[0] + "\",\"newPin\":\"111111\"}";
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "otp")).contentType("application/json")
                .body(changeBody).when().post("/api/v1/otp/users/" + user + "/pin/change")
                .then().statusCode(200).body("result", equalTo("rejected"));
        // Naming acme.test takes the admin scope.
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "otp")).contentType("application/json")
                .body(changeBody).queryParam("domain", DOMAIN).when()
                .post("/api/v1/otp/users/" + user + "/pin/change").then().statusCode(403)
                .body("type", equalTo("https://countersign.org/problems/forbidden"));
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "otp")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"credential\":\"" + PIN + RFC4226[0] + "\"}").queryParam("domain", DOMAIN)
                .when().post("/api/v1/otp/verify").then().statusCode(403);
        // Another domain's admin, without naming a domain, sets the PIN of its own user of that name.
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin")).contentType("application/json")
                .body("{\"pin\":\"111111\"}").when().put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin")).when()
                .delete("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        // acme's user and PIN are untouched: the acme PIN still works, no other does.
        verify(user, "111111" + RFC4226[0], null).body("result", equalTo("rejected"));
        verify(user, RFC4226[0], null).body("result", equalTo("rejected"));
        verify(user, PIN + RFC4226[0], null).body("result", equalTo("accepted"));
    }

    @Test
    void pin_neverInLogsEventsRedisOrTables() throws Exception {
        String secretPin = "97531864";
        String user = freshUser("sam");
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters())
                        + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            token("hotp:sha1:6", user);
            setPin(user, secretPin).statusCode(204);
            verify(user, secretPin + "000000", null).body("result", equalTo("rejected"));
            verify(user, "1" + secretPin + RFC4226[0], null).body("result", equalTo("rejected"));
            verify(user, secretPin + RFC4226[0], null).body("result", equalTo("accepted"));
            change(user, secretPin, RFC4226[1], secretPin + "1").body("result", equalTo("changed"));
            change(user, secretPin, RFC4226[2], "2" + secretPin).body("result", equalTo("rejected"));
            // Wrong old PINs (each holding the PIN) until the credential is locked, which is logged.
            for (int i = 0; i < 6; i++) {
                change(user, secretPin + "0", RFC4226[2], secretPin + "2").statusCode(200);
            }
        } finally {
            root.removeHandler(capture);
        }
        for (String line : logged) {
            assertFalse(line.contains(secretPin), "a log line holds the PIN: " + line);
        }
        // The capture works: the user's lock was logged (with ids only).
        org.junit.jupiter.api.Assertions.assertTrue(logged.stream().anyMatch(l -> l.contains("locked")), logged.toString());
        for (String key : redis.key().keys("cs:otp:*")) {
            assertFalse(key.contains(secretPin), key);
            if (redis.key().type(key) == io.quarkus.redis.datasource.keys.RedisValueType.STRING) {
                assertFalse(String.valueOf(redis.value(String.class).get(key)).contains(secretPin), key);
            }
        }
        assertEquals(0, count("SELECT count(*) FROM outbox_events WHERE payload LIKE '%" + secretPin + "%'"
                + " OR event_key LIKE '%" + secretPin + "%' OR subject LIKE '%" + secretPin + "%'"));
        assertEquals(0, count("SELECT count(*) FROM users WHERE position(convert_to('" + secretPin + "', 'UTF8') in pin_hash) > 0"
                + " OR position(convert_to('" + secretPin + "', 'UTF8') in pin_salt) > 0"));
        awaitTrue(() -> TopicReader.readAll(bootstrap, prefix + Topics.AUTHENTICATIONS, r -> (user + "@" + DOMAIN).equals(r.key()))
                .size() >= 3, "the user's events are published");
        for (var record : TopicReader.readAll(bootstrap, prefix + Topics.AUTHENTICATIONS, r -> (user + "@" + DOMAIN).equals(r.key()))) {
            assertFalse(new String(record.value(), StandardCharsets.UTF_8).contains(secretPin));
        }
        assertFalse(new SetPinRequest(secretPin).toString().contains(secretPin));
        assertFalse(new ChangePinRequest(secretPin, RFC4226[2], secretPin, null).toString().contains(secretPin));
        assertFalse(new ChangePinRequest(secretPin, RFC4226[2], secretPin, null).toString().contains(RFC4226[2]));
        assertFalse(new VerifyOtpRequest(user, secretPin + RFC4226[0], null).toString().contains(secretPin));
    }

    @Test
    void pinOtp_totpWithPin_codeFromTheRfcGeneratorAtPinnedTime() throws Exception {
        String user = freshUser("tom");
        token("totp:sha1:6:30", user);
        setPin(user, PIN).statusCode(204);
        long now = 1_700_000_000L;
        clock.pin(Instant.ofEpochSecond(now));
        String code = Otp.atTime(OtpPolicy.parse("totp:sha1:6:30"), Secret.copyOf(SEED), now);
        verify(user, "111111" + code, null).body("result", equalTo("rejected"));
        verify(user, PIN + code, null).body("result", equalTo("accepted"));
    }

    // ---- helpers

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "admin"));
    }

    private static ValidatableResponse setPin(String user, String pin) {
        return admin().contentType("application/json").body("{\"pin\":\"" + pin + "\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then();
    }

    private static ValidatableResponse change(String user, String oldPin, String otp, String newPin) {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"oldPin\":\"" + oldPin + "\",\"otp\":\"" + otp + "\",\"newPin\":\"" + newPin + "\"}").when()
                .post("/api/v1/otp/users/" + user + "/pin/change").then();
    }

    private static void policyViolation(ValidatableResponse response, String slug, String pin) {
        response.statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://countersign.org/problems/" + slug))
                .body(not(containsString(pin)));
    }
}
