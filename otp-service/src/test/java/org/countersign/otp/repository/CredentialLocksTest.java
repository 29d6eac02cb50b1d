package org.countersign.otp.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.InstanceKeys;
import org.countersign.secrets.Secret;
import org.countersign.testing.HeldTransaction;
import org.junit.jupiter.api.Test;

/**
 * A CredentialProvisioned read while a withdrawal of the same instance or user is being applied (the
 * two come on different topics, so different consumers apply them at the same moment) waits for it, and
 * the credential is stored revoked. The withdrawal in flight is played here by a transaction that takes
 * the same lock and writes what the revocation and the deactivation write, and stays open until the
 * consumer is seen waiting. Without the locks the credential was stored ACTIVE at once, before the
 * withdrawal committed, and the withdrawal's UPDATE, which had already run, never saw it.
 */
@QuarkusTest
class CredentialLocksTest extends OtpTestBase {

    /** The lock the service takes, taken by the transaction that plays the other writer. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";

    private static final String TOTP = "totp:sha1:6:30";

    @Test
    void provisioned_whileItsInstancesRevocationIsInFlight_waitsAndArrivesRevoked() throws Exception {
        String user = freshUser("lena");
        String iid = "iid-" + UUID.randomUUID().toString().substring(0, 8);
        try (HeldTransaction revocation = HeldTransaction.open(jdbcUrl, "otp")) {
            revocation.execute(LOCK, CredentialLocks.instance(iid));
            revocation.execute("INSERT INTO revoked_instances (instance_id, domain, revoked_at) VALUES ('" + iid + "', '" + DOMAIN
                    + "', now())");
            revocation.execute("UPDATE credentials SET status = 'REVOKED' WHERE instance_id = '" + iid + "'");
            publishProvisioned(user, iid, "SN-L1", TOTP, Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH), Instant.now());
            awaitTrue(() -> HeldTransaction.waitingForAnAdvisoryLock(jdbcUrl) > 0, "the consumer waits for the revocation in flight");
            assertEquals(0, count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "'"));
            revocation.commit();
        }
        awaitTrue(() -> count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "'") == 1, "the instance arrives");
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "' AND status = 'REVOKED'"));
    }

    @Test
    void provisioned_whileItsUsersDeactivationIsInFlight_waitsAndArrivesRevoked() throws Exception {
        String user = freshUser("mara");
        String iid = "iid-" + UUID.randomUUID().toString().substring(0, 8);
        Instant provisionedAt = Instant.now().minusSeconds(5);
        try (HeldTransaction deactivation = HeldTransaction.open(jdbcUrl, "otp")) {
            deactivation.execute(LOCK, CredentialLocks.user(DOMAIN, user));
            deactivation.execute("UPDATE credentials SET status = 'REVOKED' WHERE domain = '" + DOMAIN + "' AND user_id = '" + user + "'");
            deactivation.execute("INSERT INTO users (domain, user_id, deactivated_at) VALUES ('" + DOMAIN + "', '" + user + "', now())"
                    + " ON CONFLICT (domain, user_id) DO UPDATE SET deactivated_at = now()");
            publishProvisioned(user, iid, "SN-M1", TOTP, Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH), provisionedAt);
            awaitTrue(() -> HeldTransaction.waitingForAnAdvisoryLock(jdbcUrl) > 0, "the consumer waits for the deactivation in flight");
            deactivation.commit();
        }
        awaitTrue(() -> count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "'") == 1, "the instance arrives");
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "' AND status = 'REVOKED'"));
    }
}
