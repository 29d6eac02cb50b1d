package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.countersign.otp.OtpTestBase;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * A deployment that allows letters in PINs, 6 to 10 long, and hashes with other Argon2id parameters:
 * the policy and the cost follow the configuration, and PINs hashed earlier with other parameters
 * (and set under another policy) still verify. The cost is set high here (48 passes) so that the
 * time of a PIN check stands out: a check must take it even when the OTP part is malformed or the
 * user has no PIN.
 */
@QuarkusTest
@TestProfile(PinPolicyLettersTest.LetterPins.class)
class PinPolicyLettersTest extends OtpTestBase {

    public static class LetterPins implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("countersign.otp.pin.digits-only", "false", "countersign.otp.pin.min-length", "6",
                    "countersign.otp.pin.max-length", "10", "countersign.otp.pin.argon2.memory-kib", "8192",
                    "countersign.otp.pin.argon2.iterations", "3", "countersign.otp.pin.argon2.parallelism", "2");
        }
    }

    @Test
    void letters_allowedWithinLengths_hashedWithConfiguredParameters() throws Exception {
        String user = freshUser("lea");
        token("hotp:sha1:6", user);
        setPin(user, "Abc!9z").statusCode(204);
        assertEquals(1, count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND pin_algorithm = 'argon2id'"
                + " AND pin_memory_kib = 8192 AND pin_iterations = 3 AND pin_parallelism = 2 AND length(pin_salt) = 16"
                + " AND length(pin_hash) = 32"));
        verify(user, "Abc!9x" + RFC4226[0], null).body("result", equalTo("rejected"));
        verify(user, "Abc!9z" + RFC4226[0], null).body("result", equalTo("accepted"));
    }

    @Test
    void policy_charactersAndLengths_eachRuleItsType() {
        String user = freshUser("leo");
        violation(setPin(user, "Abc 9z"), "pin-characters", "Abc 9z");
        violation(setPin(user, "Abcd\u00e91"), "pin-characters", "Abcd");
        violation(setPin(user, "Ab\\t123"), "pin-characters", "Ab");
        violation(setPin(user, "Ab1!x"), "pin-too-short", "Ab1!x");
        violation(setPin(user, "Abcdefghijk"), "pin-too-long", "Abcdefghijk");
        setPin(user, "abcdef").statusCode(204);
        setPin(user, "~~~~~~~~~~").statusCode(204);
    }

    @Test
    void legacyHash_otherParametersAndShorterThanToday_verifiesAndIsRehashedAtLogin() throws Exception {
        String user = freshUser("lisa");
        token("hotp:sha1:6", user);
        // "1234" under the default parameters (19 MiB, t=2, p=1), as computed by libargon2 (vectors/argon2).
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?currentSchema=otp", "postgres", "");
             PreparedStatement s = c.prepareStatement("INSERT INTO users (domain, user_id, pin_algorithm, pin_hash, pin_salt,"
                     + " pin_memory_kib, pin_iterations, pin_parallelism, pin_updated_at) VALUES (?, ?, 'argon2id', ?, ?, 19456, 2, 1, now())")) {
            s.setString(1, DOMAIN);
            s.setString(2, user);
            s.setBytes(3, HexFormat.of().parseHex("fd2f78617f352bccb028644658898796b04bbedaa07d06ee028bbf0fef35f068"));
            s.setBytes(4, HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"));
            s.executeUpdate();
        }
        verify(user, "1235" + RFC4226[0], null).body("result", equalTo("rejected"));
        assertEquals(1, count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND pin_memory_kib = 19456"),
                "a failed check leaves the hash as it was");
        verify(user, "1234" + RFC4226[0], null).body("result", equalTo("accepted"));
        // The login re-hashed the PIN with today's parameters; the PIN is the same.
        assertEquals(1, count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND pin_memory_kib = 8192"
                + " AND pin_iterations = 3 AND pin_parallelism = 2 AND pin_salt <> '\\x000102030405060708090a0b0c0d0e0f'::bytea"));
        verify(user, "1234" + RFC4226[1], null).body("result", equalTo("accepted"));
        // Changing it to a PIN of today's policy, proven with the old PIN and an OTP.
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"oldPin\":\"1234\",\"otp\":\"" + RFC4226[2] + "\",\"newPin\":\"pa55word\"}").when()
                .post("/api/v1/otp/users/" + user + "/pin/change").then().statusCode(200).body("result", equalTo("changed"));
        verify(user, "pa55word" + RFC4226[3], null).body("result", equalTo("accepted"));
    }

    @Test
    void pinCheck_alwaysDerives_evenWithMalformedOtpOrWithoutPin() throws Exception {
        String user = freshUser("lukas");
        String noPin = freshUser("nopin");
        token("hotp:sha1:6", user);
        token("hotp:sha1:6", noPin);
        setPin(user, "Abc!9z").statusCode(204);
        // Each path that must not reveal what was wrong does exactly one Argon2id derivation, so that its
        // time tells nothing; counted by the service's own metric rather than timed.
        assertDerivations(1, () -> verify(user, "Abc!9z" + "12ab56", null).body("result", equalTo("rejected")));
        assertDerivations(1, () -> verify(user, "Xyz!9z" + RFC4226[0], null).body("result", equalTo("rejected")));
        // A PIN change checks the old PIN and always hashes the new one, whatever fails, PIN or not.
        assertDerivations(2, () -> change(user, "Xyz!9z", RFC4226[0], "Abc!9y").body("result", equalTo("rejected")));
        assertDerivations(2, () -> change(noPin, "Abc!9z", RFC4226[0], "Abc!9y").body("result", equalTo("rejected")));
        verify(user, "Abc!9z" + RFC4226[0], null).body("result", equalTo("accepted"));
    }

    /**
     * Whether a user has a PIN does not show in the work a check does: what was typed beyond the OTP
     * costs one Argon2id, against the user's hash or a decoy; the OTP alone costs none, PIN or not.
     */
    @Test
    void pinCheck_workDependsOnWhatWasTyped_notOnWhetherTheUserHasAPin() throws Exception {
        String withPin = freshUser("lina");
        String withoutPin = freshUser("lino");
        token("hotp:sha1:6", withPin);
        token("hotp:sha1:6", withoutPin);
        setPin(withPin, "Abc!9z").statusCode(204);
        for (String user : List.of(withPin, withoutPin)) {
            assertDerivations(1, () -> verify(user, "Xyz!9z" + "000000", null).body("result", equalTo("rejected")));
            assertDerivations(0, () -> verify(user, "000000", null).body("result", equalTo("rejected")));
        }
        // The user without a PIN still logs in with the OTP alone, and no work is spent on it.
        assertDerivations(0, () -> verify(withoutPin, RFC4226[0], null).body("result", equalTo("accepted")));
    }

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private void assertDerivations(int expected, Runnable request) {
        double before = registry.counter("countersign.otp.pin.derivations").count();
        request.run();
        org.junit.jupiter.api.Assertions.assertEquals(before + expected, registry.counter("countersign.otp.pin.derivations").count());
    }

    private static ValidatableResponse change(String user, String oldPin, String otp, String newPin) {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"oldPin\":\"" + oldPin + "\",\"otp\":\"" + otp + "\",\"newPin\":\"" + newPin + "\"}").when()
                .post("/api/v1/otp/users/" + user + "/pin/change").then().statusCode(200);
    }

    private static ValidatableResponse setPin(String user, String pin) {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "admin")).contentType("application/json")
                .body("{\"pin\":\"" + pin + "\"}").when().put("/api/v1/otp/admin/users/" + user + "/pin").then();
    }

    private static void violation(ValidatableResponse response, String slug, String pin) {
        response.statusCode(400).body("type", equalTo("https://countersign.org/problems/" + slug)).body(not(containsString(pin)));
    }
}
