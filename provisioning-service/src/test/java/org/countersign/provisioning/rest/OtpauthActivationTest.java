package org.countersign.provisioning.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.events.Topics;
import org.countersign.events.payload.ActivationFailed;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.protocol.Base32;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.SealedValue;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * Stock authenticator apps (otpauth) on the real stack: the registration's activation password is the
 * app's key, and the test plays the app with libs/protocol's OTP generator (RFC 6238, checked against
 * the RFC's vectors there).
 */
@QuarkusTest
class OtpauthActivationTest extends ActivationTestBase {

    private static final String TOTP = "totp:sha1:6:30";
    private static final OtpPolicy POLICY = OtpPolicy.parse(TOTP);

    @Inject
    RedisDataSource redis;

    @Test
    void rightCode_activates_eventsCarryTheKeySealedOnly_secondConfirmRefused() throws Exception {
        Registration registration = registered();
        String code = Otp.atTime(POLICY, registration.ap(), Instant.now().getEpochSecond());
        String cached = redis.value(String.class).get("cs:provisioning:activation:" + registration.rid());

        ValidatableResponse activated = confirmOtp(registration, code).statusCode(200).body("mode", equalTo("otpauth"))
                .body("status", equalTo("active")).body("otp", equalTo(TOTP)).body("serialNumber", equalTo(registration.sn()))
                .body("certificateSerial", nullValue()).body("platform", nullValue());
        String iid = activated.extract().path("instanceId");
        given().header("Authorization", bearer()).when().get("/api/v1/instances/" + iid).then().statusCode(200)
                .body("mode", equalTo("otpauth")).body("registrationId", equalTo(registration.rid()));
        state(registration).body("status", equalTo("activated")).body("activationType", equalTo("otpauth"));

        // The same code again, and a fresh one: the registration is done.
        confirmOtp(registration, code).statusCode(409).body("type", equalTo(PROBLEMS + "activation-state-conflict"));
        long step = Long.parseLong(sql("SELECT accepted_step FROM activations WHERE registration_id = '" + registration.rid() + "'"));
        assertEquals("null", sql("SELECT coalesce(sealed_activation_password, 'null') FROM activations WHERE registration_id = '"
                + registration.rid() + "'"), "a finished activation keeps no secret");
        assertEquals("null", sql("SELECT coalesce(sealed_instance_secret, 'null') FROM authenticator_instances WHERE instance_id = '"
                + iid + "'"), "an otpauth instance has no instance secret");

        JsonNode event = JSON.readTree(event(Topics.ACTIVATIONS, AuthenticatorActivated.TYPE.ceType(), registration.rid()).value());
        assertEquals("otpauth", event.get("mode").asText());
        assertNull(event.get("publicKey"));
        ConsumerRecord<String, byte[]> credentialRecord = event(Topics.INTERNAL_CREDENTIALS, CredentialProvisioned.TYPE.ceType(), iid);
        JsonNode credential = JSON.readTree(credentialRecord.value());
        assertNull(credential.get("sealedInstanceSecret"));
        assertEquals(step, credential.get("lastUsedStep").asLong(), "the confirming step is passed on as used");
        assertArrayEquals(registration.ap().reveal(), TestSealing.openAs("otp", SealedValue.parse(credential.get("sealedOtpKey").asText()),
                CredentialProvisioned.otpKeyBinding(DOMAIN, registration.userId(), iid)).reveal(),
                "the app's key reaches the otp-service sealed for transport, under its own purpose");

        // The key appears nowhere in clear: not in events, not in the cached copy, not in the tables.
        String base32 = Base32.encode(registration.ap().reveal());
        String base64 = Base64.getEncoder().encodeToString(registration.ap().reveal());
        String base64Url = Base64.getUrlEncoder().withoutPadding().encodeToString(registration.ap().reveal());
        for (String text : List.of(new String(credentialRecord.value(), StandardCharsets.UTF_8), event.toString(),
                String.valueOf(cached), sql("SELECT string_agg(payload, '') FROM outbox_events"), log())) {
            for (String secret : List.of(base32, base64, base64Url, code)) {
                assertFalse(text.contains(secret), "no secret in " + text);
            }
        }
    }

    @Test
    void codeOfTheStepBefore_accepted_twoStepsBefore_counted() throws Exception {
        Registration late = registered();
        long now = Instant.now().getEpochSecond();
        confirmOtp(late, Otp.atTime(POLICY, late.ap(), now - 60)).statusCode(422)
                .body("type", equalTo(PROBLEMS + "wrong-activation-otp")).body("detail", containsString("4 attempts left"));
        confirmOtp(late, Otp.atTime(POLICY, late.ap(), now - 30)).statusCode(200).body("mode", equalTo("otpauth"));
    }

    @Test
    void wrongCodes_fifthFailsForGood_malformedCodesUseNoAttempt() throws Exception {
        Registration registration = registered();
        confirmOtp(registration, "12345").statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
        confirmOtp(registration, "1234567").statusCode(400).body("type", equalTo(PROBLEMS + "validation"))
                .body("detail", containsString("6 digits"));
        state(registration).body("attemptsLeft", equalTo(5));
        String right = Otp.atTime(POLICY, registration.ap(), Instant.now().getEpochSecond());
        String wrong = String.format("%06d", (Integer.parseInt(right) + 500_000) % 1_000_000);
        for (int left = 4; left >= 1; left--) {
            confirmOtp(registration, wrong).statusCode(422).body("type", equalTo(PROBLEMS + "wrong-activation-otp"))
                    .body("detail", containsString(left + (left == 1 ? " attempt left" : " attempts left")));
        }
        confirmOtp(registration, wrong).statusCode(409).body("type", equalTo(PROBLEMS + "activation-failed"));
        confirmOtp(registration, right).statusCode(409).body("type", equalTo(PROBLEMS + "activation-failed"));
        state(registration).body("status", equalTo("failed"));
        JsonNode failed = JSON.readTree(event(Topics.ACTIVATIONS, ActivationFailed.TYPE.ceType(), registration.rid()).value());
        assertEquals("too-many-wrong-codes", failed.get("reason").asText());
    }

    @Test
    void otherDomain_404_otherTypes_409_expired_410() throws Exception {
        Registration registration = registered();
        String code = Otp.atTime(POLICY, registration.ap(), Instant.now().getEpochSecond());
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "provisioning")).contentType("application/json")
                .body("{\"otp\":\"" + code + "\"}").when().post("/api/v1/registrations/" + registration.rid() + "/confirm-otp")
                .then().statusCode(404).body("type", equalTo(PROBLEMS + "unknown-registration"));
        given().header("Authorization", bearer()).contentType("application/json").body("{\"deviceCode\":\"" + DeviceCode.random().digits() + "\"}")
                .when().post("/api/v1/registrations/" + registration.rid() + "/device").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "wrong-activation-type"));
        state(registration).body("attemptsLeft", equalTo(5)).body("status", equalTo("pending"));

        Registration offline = registered("offline", Instant.now().plusSeconds(600));
        confirmOtp(offline, "123456").statusCode(409).body("type", equalTo(PROBLEMS + "wrong-activation-type"));
        Registration expired = registered("otpauth", null, TOTP, "user-x", Instant.now().minusSeconds(1));
        confirmOtp(expired, Otp.atTime(POLICY, expired.ap(), Instant.now().getEpochSecond())).statusCode(410)
                .body("type", equalTo(PROBLEMS + "registration-expired"));
    }

    private Registration registered() throws Exception {
        return registered("otpauth", null, TOTP, "user-" + java.util.UUID.randomUUID().toString().substring(0, 8),
                Instant.now().plusSeconds(600));
    }

    private static ValidatableResponse confirmOtp(Registration registration, String code) {
        return given().header("Authorization", bearer()).contentType("application/json").body("{\"otp\":\"" + code + "\"}")
                .when().post("/api/v1/registrations/" + registration.rid() + "/confirm-otp").then();
    }
}
