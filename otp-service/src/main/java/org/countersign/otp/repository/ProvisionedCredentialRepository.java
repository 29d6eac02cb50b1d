package org.countersign.otp.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.countersign.otp.domain.Credential;

/**
 * The credentials taken from the credentials topic, written on the reactive client (no ORM session) in
 * the consumer's transaction, which also records the event's id: each replaces any earlier credential
 * of the same token or instance, one statement to remove it and one to insert the new one.
 */
@ApplicationScoped
public class ProvisionedCredentialRepository {

    private static final String COLUMNS = "INSERT INTO credentials (id, domain, user_id, serial_number, instance_id, otp_policy,"
            + " kind, sealed_secret, sealed_instance_secret, ocra_suite, last_accepted, drift, source, fail_count, lock_count,"
            + " created_at, updated_at, status)";

    /** The strings as text, each the same type where the instance's insert compares it too (else 42P08). */
    private static final String VALUES = " VALUES ($1, CAST($2 AS text), CAST($3 AS text), $4, CAST($5 AS text), $6, $7, $8, $9, $10,"
            + " $11, 0, $12, 0, 0, $13, $13, ";

    /** An imported token's credential, in place of any earlier import of the same token. */
    private static final String INSERT_TOKEN = COLUMNS + VALUES + "$14)";

    /**
     * An activated instance's credential, revoked from the start when the instance was revoked, or its user
     * deactivated at or after the moment it was provisioned ($14): the revocation comes on another topic.
     */
    private static final String INSERT_INSTANCE = COLUMNS + VALUES + "CASE WHEN EXISTS (SELECT 1 FROM revoked_instances"
            + " WHERE instance_id = CAST($5 AS text)) OR EXISTS (SELECT 1 FROM users WHERE domain = CAST($2 AS text)"
            + " AND user_id = CAST($3 AS text)"
            + " AND deactivated_at >= $14) THEN 'REVOKED' ELSE 'ACTIVE' END)";

    /** Stores an imported token's credential in place of an earlier import of the same token (its status as given). */
    public Uni<Void> replaceImportedToken(SqlConnection tx, Credential credential) {
        return tx.preparedQuery("DELETE FROM credentials WHERE domain = $1 AND serial_number = $2 AND source = 'pskc'")
                .execute(Tuple.of(credential.domain, credential.serialNumber))
                .chain(() -> tx.preparedQuery(INSERT_TOKEN).execute(values(credential).addString(credential.status.name())))
                .replaceWithVoid();
    }

    /**
     * Stores an activated instance's credential in place of any earlier one of the same instance: ACTIVE,
     * or REVOKED when it was withdrawn before it arrived ({@code credential.status} is not read). Under the
     * user's and the instance's locks ({@link CredentialLocks}), so that a withdrawal being applied at the
     * same moment is either seen here or sees this credential.
     */
    public Uni<Void> replaceInstanceCredential(SqlConnection tx, Credential credential, Instant provisionedAt) {
        return tx.preparedQuery(CredentialLocks.LOCK_BOTH).execute(Tuple.of(CredentialLocks.user(credential.domain, credential.userId),
                        CredentialLocks.instance(credential.instanceId)))
                .chain(() -> tx.preparedQuery("DELETE FROM credentials WHERE instance_id = $1").execute(Tuple.of(credential.instanceId)))
                .chain(() -> tx.preparedQuery(INSERT_INSTANCE).execute(values(credential).addOffsetDateTime(utc(provisionedAt))))
                .replaceWithVoid();
    }

    private static Tuple values(Credential credential) {
        return Tuple.tuple().addUUID(credential.id).addString(credential.domain).addString(credential.userId)
                .addString(credential.serialNumber).addString(credential.instanceId).addString(credential.otpPolicy)
                .addString(credential.kind.name()).addString(credential.sealedSecret).addString(credential.sealedInstanceSecret)
                .addString(credential.ocraSuite).addLong(credential.lastAccepted).addString(credential.source)
                .addOffsetDateTime(utc(credential.createdAt));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
