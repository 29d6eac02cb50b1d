package org.countersign.otp.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.countersign.events.Topics;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * A stock authenticator app's credential (otpauth), as the provisioning-service sends it: the raw OTP
 * key sealed for the purpose otp-key, no instance secret, and the step that confirmed the app.
 */
@QuarkusTest
class OtpauthCredentialTest extends OtpTestBase {

    private static final String TOTP = "totp:sha1:6:30";
    private static final OtpPolicy POLICY = OtpPolicy.parse(TOTP);
    private static final long T = 1_760_000_000L;

    @Test
    void rawKey_verifiesAsIs_confirmedStepNeverAgain_cannotSignOffline() throws Exception {
        String user = freshUser("app");
        String iid = "iid-" + UUID.randomUUID().toString().substring(0, 8);
        Secret key = Secret.random(20);
        long confirmed = POLICY.timeStep(T);
        String sealedKey = TestSealing.sealFor("otp", key, CredentialProvisioned.otpKeyBinding(DOMAIN, user, iid)).toText();
        publish(Topics.INTERNAL_CREDENTIALS, user + "@" + DOMAIN, CredentialProvisioned.TYPE.ceType(), "{\"instanceId\":\""
                + iid + "\",\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"SN-APP\",\"otp\":\""
                + TOTP + "\",\"sealedOtpKey\":\"" + sealedKey + "\",\"lastUsedStep\":" + confirmed + ",\"provisionedAt\":\""
                + Instant.now() + "\"}");
        awaitTrue(() -> count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "'") == 1, "the credential arrives");
        assertEquals(0, count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "' AND sealed_instance_secret IS NOT NULL"),
                "no instance secret is kept");
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "' AND sealed_secret LIKE 'v2.%'"),
                "the key is kept sealed");

        // The code that confirmed the app was used once already: the first login cannot replay it.
        clock.pin(Instant.ofEpochSecond(T));
        verify(user, Otp.at(POLICY, key, confirmed), null).body("result", equalTo("rejected"));
        // The raw key is the OTP key itself, not something derived from it.
        clock.pin(Instant.ofEpochSecond(T + 30));
        verify(user, Otp.at(POLICY, key, confirmed + 1), null).body("result", equalTo("accepted"));

        // Without an instance secret there is nothing to sign offline with: a clear 409, never a 500.
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"message\":\"Pay\"}").when().post("/api/v1/signatures/challenges").then()
                .statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://countersign.org/problems/signing-not-supported"));
    }
}
