package org.countersign.push.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.countersign.events.Topics;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.countersign.testing.HeldTransaction;
import org.junit.jupiter.api.Test;

/**
 * A device's activation and its user's deactivation travel on different topics, so two consumers apply them
 * at the same moment. Each side in flight is played here by a transaction that takes the user's lock and writes
 * what that side writes, and stays open until the other side's consumer is seen waiting. Without the lock each
 * read before the other committed: the activation, not seeing the deactivation, stored the device ACTIVE, and
 * the deactivation, not seeing the device, left it so; a push request read the user's settings and devices
 * in the statement that took the lock, so before the deactivation committed, and went to its devices.
 */
@QuarkusTest
class UserLocksTest extends PushTestBase {

    /** The lock the service takes, taken by the transaction that plays the other writer. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(" + UserLocks.hashed("?") + ")";

    @Test
    void activation_whileItsUsersDeactivationIsInFlight_waitsAndArrivesRevoked() throws Exception {
        String user = freshUser("vera");
        TestDevice device = new TestDevice(user, DOMAIN, "android", true, null);
        try (HeldTransaction deactivation = HeldTransaction.open(jdbcUrl, "push")) {
            deactivation.execute(LOCK, UserLocks.key(DOMAIN, user));
            deactivation.execute("INSERT INTO push_users (domain, user_id, enabled, require_biometric, updated_at, deactivated_at)"
                    + " VALUES ('" + DOMAIN + "', '" + user + "', false, false, now(), now())");
            publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorActivated.TYPE.ceType(),
                    device.activatedJson(Instant.now().minusSeconds(5)));
            awaitTrue(() -> HeldTransaction.waitingForAnAdvisoryLock(jdbcUrl) > 0, "the activation waits for the deactivation in flight");
            assertEquals(0, count("SELECT count(*) FROM devices WHERE instance_id = '" + device.iid() + "'"));
            deactivation.commit();
        }
        awaitTrue(() -> count("SELECT count(*) FROM devices WHERE instance_id = '" + device.iid() + "'") == 1, "the device arrives");
        assertEquals("REVOKED", sql("SELECT status FROM devices WHERE instance_id = '" + device.iid() + "'"));
    }

    @Test
    void deactivation_whileADevicesActivationIsInFlight_waitsAndRevokesIt() throws Exception {
        String user = freshUser("wanda");
        String iid = "iid-" + UUID.randomUUID().toString().substring(0, 8);
        try (HeldTransaction activation = HeldTransaction.open(jdbcUrl, "push")) {
            activation.execute(LOCK, UserLocks.key(DOMAIN, user));
            activation.execute("INSERT INTO devices (instance_id, domain, user_id, serial_number, platform, biometric, public_key,"
                    + " certificate_not_after, status, activated_at, created_at, auth_types) VALUES ('" + iid + "', '" + DOMAIN + "', '"
                    + user + "', 'SN-W1', 'WEB', true, '\\x00', now() + interval '1 year', 'ACTIVE', now() - interval '5 seconds', now(),"
                    + " 'otp,push,signature')");
            publish(Topics.REGISTRATIONS, user + "@" + DOMAIN, UserDeactivated.TYPE.ceType(), "{\"userId\":\"" + user
                    + "\",\"domain\":\"" + DOMAIN + "\",\"deactivatedAt\":\"" + Instant.now() + "\"}");
            awaitTrue(() -> HeldTransaction.waitingForAnAdvisoryLock(jdbcUrl) > 0, "the deactivation waits for the activation in flight");
            activation.commit();
        }
        awaitTrue(() -> count("SELECT count(*) FROM push_users WHERE user_id = '" + user + "' AND deactivated_at IS NOT NULL") == 1,
                "the deactivation is applied");
        assertEquals("REVOKED", sql("SELECT status FROM devices WHERE instance_id = '" + iid + "'"));
    }

    /** A push request asked for while the user's deactivation is being applied waits for it, and is refused. */
    @Test
    void pushRequest_whileItsUsersDeactivationIsInFlight_waitsAndIsRefused() throws Exception {
        String user = freshUser("xena");
        TestDevice device = onlineDevice(user);
        enable(user);
        CompletableFuture<ExtractableResponse<Response>> created;
        try (HeldTransaction deactivation = HeldTransaction.open(jdbcUrl, "push")) {
            deactivation.execute(LOCK, UserLocks.key(DOMAIN, user));
            deactivation.execute("UPDATE devices SET status = 'REVOKED', revoked_at = now() WHERE instance_id = '" + device.iid() + "'");
            deactivation.execute("UPDATE push_users SET enabled = false, deactivated_at = now() WHERE domain = '" + DOMAIN
                    + "' AND user_id = '" + user + "'");
            created = CompletableFuture.supplyAsync(() -> app().body("{\"userId\":\"" + user + "\",\"message\":\"Sign in\"}")
                    .when().post("/api/v1/push/requests").then().extract());
            awaitTrue(() -> HeldTransaction.waitingForAnAdvisoryLock(jdbcUrl) > 0, "the request waits for the deactivation in flight");
            deactivation.commit();
        }
        ExtractableResponse<Response> answer = created.get(30, TimeUnit.SECONDS);
        assertEquals(409, answer.statusCode(), answer.asString());
        assertEquals("https://countersign.org/problems/push-not-enabled", answer.path("type"));
        assertEquals(0, count("SELECT count(*) FROM push_requests WHERE user_id = '" + user + "'"));
    }
}
