package org.countersign.otp.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.UUID;
import org.countersign.events.Topics;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * Revocations (AuthenticatorRevoked, public activations topic) and deactivations (UserDeactivated,
 * registrations topic), sent as the other services send them, and their effect seen through the API.
 */
@QuarkusTest
class RevocationsTest extends OtpTestBase {

    private static final String TOTP = "totp:sha1:6:30";
    private static final OtpPolicy POLICY = OtpPolicy.parse(TOTP);
    private static final long T = 1_750_000_000L;

    @Test
    void revoked_instance_neverVerifiesAgain_eventAppliedOnce() throws Exception {
        String user = freshUser("rob");
        String iid = iid();
        Secret instanceSecret = Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH);
        provision(user, iid, "SN-R1", TOTP, instanceSecret, Instant.now());
        clock.pin(Instant.ofEpochSecond(T));
        verify(user, code(instanceSecret, T), null).body("result", equalTo("accepted"));
        String id = admin().when().get("/api/v1/otp/admin/users/" + user + "/credentials").then().extract().path("[0].id");

        String eventId = UUID.randomUUID().toString();
        String revoked = revoked(iid, user, "SN-R1");
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorRevoked.TYPE.ceType(), revoked, eventId);
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorRevoked.TYPE.ceType(), revoked, eventId);
        String againId = UUID.randomUUID().toString();
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorRevoked.TYPE.ceType(), revoked, againId);
        awaitTrue(() -> count("SELECT count(*) FROM processed_events WHERE event_id IN ('" + eventId + "', '" + againId + "')") == 2,
                "both distinct events are applied");
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "' AND status = 'REVOKED'"));
        assertEquals(1, count("SELECT count(*) FROM revoked_instances WHERE instance_id = '" + iid + "'"));

        clock.pin(Instant.ofEpochSecond(T + 30));
        verify(user, code(instanceSecret, T + 30), null).body("result", equalTo("rejected"));
        // No operator act brings it back, and operators no longer see it.
        admin().when().post("/api/v1/otp/admin/credentials/" + id + "/enable").then().statusCode(404)
                .body("type", equalTo("https://countersign.org/problems/unknown-credential"));
        admin().when().post("/api/v1/otp/admin/credentials/" + id + "/unlock").then().statusCode(404);
        admin().when().get("/api/v1/otp/admin/users/" + user + "/credentials").then().body("$", hasSize(0));
        verify(user, code(instanceSecret, T + 30), null).body("result", equalTo("rejected"));
    }

    @Test
    void revoked_beforeItsCredentialArrives_credentialArrivesRevoked() throws Exception {
        String user = freshUser("rosa");
        String iid = iid();
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorRevoked.TYPE.ceType(), revoked(iid, user, "SN-R2"));
        awaitTrue(() -> count("SELECT count(*) FROM revoked_instances WHERE instance_id = '" + iid + "'") == 1,
                "the revocation is recorded");
        Secret instanceSecret = Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH);
        provision(user, iid, "SN-R2", TOTP, instanceSecret, Instant.now());
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "' AND status = 'REVOKED'"));
        clock.pin(Instant.ofEpochSecond(T));
        verify(user, code(instanceSecret, T), null).body("result", equalTo("rejected"));
    }

    @Test
    void deactivated_user_instanceRevoked_tokenDisabled_pinRemoved() throws Exception {
        String user = freshUser("dina");
        String serial = token("hotp:sha1:6", user);
        String iid = iid();
        Secret instanceSecret = Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH);
        provision(user, iid, "SN-D1", TOTP, instanceSecret, Instant.parse("2026-01-01T00:00:00Z"));
        admin().contentType("application/json").body("{\"pin\":\"246813\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        clock.pin(Instant.ofEpochSecond(T));
        verify(user, "246813" + RFC4226[0], serial).body("result", equalTo("accepted"));

        Instant deactivatedAt = Instant.parse("2026-06-01T00:00:00Z");
        String deactivated = "{\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN + "\",\"deactivatedAt\":\"" + deactivatedAt + "\"}";
        String eventId = UUID.randomUUID().toString();
        publish(Topics.REGISTRATIONS, user + "@" + DOMAIN, UserDeactivated.TYPE.ceType(), deactivated, eventId);
        publish(Topics.REGISTRATIONS, user + "@" + DOMAIN, UserDeactivated.TYPE.ceType(), deactivated, eventId);
        awaitTrue(() -> count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND deactivated_at IS NOT NULL") == 1,
                "the deactivation is applied");

        assertEquals(0, count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND pin_hash IS NOT NULL"));
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "' AND status = 'REVOKED'"));
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE serial_number = '" + serial + "' AND status = 'DISABLED'"));
        verify(user, "246813" + RFC4226[1], null).body("result", equalTo("rejected"));
        verify(user, RFC4226[1], null).body("result", equalTo("rejected"));
        verify(user, code(instanceSecret, T), null).body("result", equalTo("rejected"));
        admin().when().get("/api/v1/otp/admin/users/" + user + "/credentials").then().body("$", hasSize(1))
                .body("[0].status", equalTo("DISABLED"));

        // A credential provisioned before the deactivation, whose event is read only now, arrives revoked.
        String late = iid();
        provision(user, late, "SN-D2", TOTP, Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH), deactivatedAt.minusSeconds(60));
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE instance_id = '" + late + "' AND status = 'REVOKED'"));
        // One provisioned after it (the user came back) is active.
        String after = iid();
        Secret fresh = Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH);
        provision(user, after, "SN-D3", TOTP, fresh, deactivatedAt.plusSeconds(60));
        verify(user, code(fresh, T), null).body("result", equalTo("accepted"));
    }

    @Test
    void deactivated_otherDomainsUserOfTheSameName_untouched() throws Exception {
        String user = freshUser("dirk");
        token("hotp:sha1:6", user);
        String deactivated = "{\"userId\":\"" + user + "\",\"domain\":\"" + TestTokens.OTHER_DOMAIN
                + "\",\"deactivatedAt\":\"2026-06-01T00:00:00Z\"}";
        publish(Topics.REGISTRATIONS, user + "@" + TestTokens.OTHER_DOMAIN, UserDeactivated.TYPE.ceType(), deactivated);
        awaitTrue(() -> count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND domain = '"
                + TestTokens.OTHER_DOMAIN + "'") == 1, "the deactivation is applied");
        verify(user, RFC4226[0], null).body("result", equalTo("accepted"));
    }

    private static String revoked(String iid, String user, String serial) {
        return "{\"instanceId\":\"" + iid + "\",\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\""
                + serial + "\",\"revokedAt\":\"2026-11-23T10:00:00Z\"}";
    }

    private static String iid() {
        return "iid-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The authenticator plays its part: K_otp derived from IS as protocol.md says (tested on frozen vectors elsewhere). */
    private static String code(Secret instanceSecret, long unixSeconds) {
        return Otp.atTime(POLICY, InstanceKeys.of(instanceSecret).otp(POLICY), unixSeconds);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "admin"));
    }
}
