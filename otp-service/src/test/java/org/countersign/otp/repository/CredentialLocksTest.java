package org.countersign.otp.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.UUID;
import org.countersign.otp.OtpTestBase;
import org.countersign.protocol.InstanceKeys;
import org.countersign.secrets.Secret;
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

    private static final String TOTP = "totp:sha1:6:30";

    @Test
    void provisioned_whileItsInstancesRevocationIsInFlight_waitsAndArrivesRevoked() throws Exception {
        String user = freshUser("lena");
        String iid = "iid-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection revocation = transaction()) {
            lock(revocation, CredentialLocks.instance(iid));
            execute(revocation, "INSERT INTO revoked_instances (instance_id, domain, revoked_at) VALUES ('" + iid + "', '" + DOMAIN
                    + "', now())");
            execute(revocation, "UPDATE credentials SET status = 'REVOKED' WHERE instance_id = '" + iid + "'");
            publishProvisioned(user, iid, "SN-L1", TOTP, Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH), Instant.now());
            awaitTrue(() -> waitingForAnAdvisoryLock() > 0, "the consumer waits for the revocation in flight");
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
        try (Connection deactivation = transaction()) {
            lock(deactivation, CredentialLocks.user(DOMAIN, user));
            execute(deactivation, "UPDATE credentials SET status = 'REVOKED' WHERE domain = '" + DOMAIN + "' AND user_id = '" + user + "'");
            execute(deactivation, "INSERT INTO users (domain, user_id, deactivated_at) VALUES ('" + DOMAIN + "', '" + user + "', now())"
                    + " ON CONFLICT (domain, user_id) DO UPDATE SET deactivated_at = now()");
            publishProvisioned(user, iid, "SN-M1", TOTP, Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH), provisionedAt);
            awaitTrue(() -> waitingForAnAdvisoryLock() > 0, "the consumer waits for the deactivation in flight");
            deactivation.commit();
        }
        awaitTrue(() -> count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "'") == 1, "the instance arrives");
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE instance_id = '" + iid + "' AND status = 'REVOKED'"));
    }

    private Connection transaction() throws Exception {
        Connection connection = DriverManager.getConnection(jdbcUrl + "?currentSchema=otp", "postgres", "");
        connection.setAutoCommit(false);
        return connection;
    }

    private static void lock(Connection connection, String key) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            statement.setString(1, key);
            statement.execute();
        }
    }

    private static void execute(Connection connection, String sql) throws Exception {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private int waitingForAnAdvisoryLock() throws Exception {
        return count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
    }
}
