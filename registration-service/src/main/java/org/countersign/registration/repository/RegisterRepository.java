package org.countersign.registration.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.countersign.events.Outbox;
import org.countersign.registration.domain.Registration;

/**
 * The two statements of a registration with a named licence, on the reactive client directly (no ORM
 * session, no entity mapping), inside one transaction the caller opens: the first locks the user (created
 * when new) and reads what the rules need; the second takes the licence's activation, opens the
 * registration and writes its events, all only while the rules still hold.
 */
@ApplicationScoped
public class RegisterRepository {

    /** What the rules of a registration need, read with the user's row locked. */
    public record Facts(String userStatus, UUID licenceId, String authenticatorType, String licenceStatus,
                        String assignedUserId, boolean activationLeft, Integer maxAuthenticatorsPerUser,
                        Integer registrationLifetimeSeconds, String activationTypes, long held) {
    }

    /**
     * The user's row, created when absent, locked until the transaction ends (ON CONFLICT DO UPDATE locks
     * the row it finds, also one another transaction is inserting, once that commits): every
     * registration of one user passes here, so the per-user cap is decided one registration at a time.
     * Beside it, the licence of the domain with this serial number, the tenant's policy for its type
     * (nulls: none) and the authenticators of that type the user holds (pending or active; a migration
     * moves an instance already counted, so it is left out).
     */
    private static final String LOCK_AND_READ = "WITH u AS (INSERT INTO users (id, domain, user_id, status, created_at,"
            + " updated_at) VALUES ($1, $2, $3, 'ACTIVE', $4, $4) ON CONFLICT (domain, user_id) DO UPDATE SET status = users.status"
            + " RETURNING status)"
            + " SELECT u.status, l.id, l.authenticator_type, l.status AS licence_status, l.assigned_user_id,"
            + " l.activations_used + l.activations_reserved < l.max_activations AS activation_left,"
            + " p.max_authenticators_per_user, p.registration_lifetime_seconds, p.activation_types,"
            + " (SELECT count(*) FROM registrations r WHERE r.domain = $2 AND r.user_id = $3"
            + " AND r.authenticator_type = l.authenticator_type AND r.status IN ('PENDING', 'ACTIVATED')"
            + " AND r.activation_type <> 'migrate') AS held"
            + " FROM u LEFT JOIN licences l ON l.domain = $2 AND l.serial_number = $5"
            + " LEFT JOIN policies p ON p.domain = $2 AND p.authenticator_type = l.authenticator_type";

    /**
     * The licence's activation reserved (and the licence assigned to the user if it was free), only while
     * it is active, still as the first statement found it assigned, has an activation left and the user
     * holds fewer than the cap (counted afresh: this statement's snapshot follows the user's lock); then
     * the registration and its events, all or nothing. Answers 1 when registered, 0 when a rule no longer
     * held (nothing written).
     */
    private static final String OPEN = "WITH licence AS (UPDATE licences SET activations_reserved = activations_reserved + 1,"
            + " assigned_user_id = $3, updated_at = $4 WHERE id = $5 AND domain = $1 AND status = 'ACTIVE'"
            + " AND assigned_user_id IS NOT DISTINCT FROM $6 AND activations_used + activations_reserved < max_activations"
            + " AND (SELECT count(*) FROM registrations r WHERE r.domain = $1 AND r.user_id = $3 AND r.authenticator_type = $7"
            + " AND r.status IN ('PENDING', 'ACTIVATED') AND r.activation_type <> 'migrate') < CAST($8 AS integer) RETURNING id),"
            + " registration AS (INSERT INTO registrations (id, domain, user_id, licence_id, serial_number, authenticator_type,"
            + " activation_type, instance_id, otp, status, sealed_activation_password, activation_password_for_provisioning,"
            + " created_at, expires_at)"
            + " SELECT $2, $1, $3, id, $9, $7, $10, NULL, $11, 'PENDING', $12, $13, $14, $15 FROM licence RETURNING id),"
            + " event AS (" + Outbox.insertRows(16, "EXISTS (SELECT 1 FROM registration)") + ")"
            + " SELECT count(*) FROM registration";

    public Uni<Facts> lockAndRead(SqlConnection connection, String domain, String userId, String serialNumber, Instant now) {
        return connection.preparedQuery(LOCK_AND_READ).execute(Tuple.of(UUID.randomUUID(), domain, userId, utc(now), serialNumber))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Facts(row.getString("status"), row.getUUID("id"), row.getString("authenticator_type"),
                            row.getString("licence_status"), row.getString("assigned_user_id"),
                            Boolean.TRUE.equals(row.getBoolean("activation_left")), row.getInteger("max_authenticators_per_user"),
                            row.getInteger("registration_lifetime_seconds"), row.getString("activation_types"), row.getLong("held"));
                });
    }

    /**
     * @param assignedBefore the licence's user as {@link #lockAndRead} found it (null: free, now assigned)
     * @return whether it was registered (false: nothing was written)
     */
    public Uni<Boolean> open(SqlConnection connection, Registration registration, String assignedBefore,
                             int maxAuthenticatorsPerUser, Instant now, List<Outbox.Row> events) {
        Tuple parameters = Tuple.tuple().addString(registration.domain).addString(registration.id)
                .addString(registration.userId).addOffsetDateTime(utc(now)).addUUID(registration.licenceId)
                .addString(assignedBefore).addString(registration.authenticatorType).addInteger(maxAuthenticatorsPerUser)
                .addString(registration.serialNumber).addString(registration.activationType).addString(registration.otp)
                .addString(registration.sealedActivationPassword).addString(registration.activationPasswordForProvisioning)
                .addOffsetDateTime(utc(registration.createdAt))
                .addOffsetDateTime(utc(registration.expiresAt));
        return connection.preparedQuery(OPEN).execute(Outbox.bindRows(parameters, events))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
