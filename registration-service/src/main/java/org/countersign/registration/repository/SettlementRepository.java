package org.countersign.registration.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.countersign.registration.domain.RegistrationStatus;

/**
 * Registrations settled from what the provisioning-service reports, on the reactive client (no ORM
 * session), in the consumer's transaction, one statement each: the registration moves only from the
 * state it must be in (PENDING, or ACTIVATED for a revocation), and its licence's counts change in the
 * same statement, only when it moved. The registration's row is updated before its licence's, as on
 * every other path; a concurrent close waits on the row and the state is checked again on the row it
 * left, so a reservation is settled once whatever races it.
 */
@ApplicationScoped
public class SettlementRepository {

    /** What an activation does to its licence: the reservation becomes a used activation. */
    public static final String RESERVATION_USED = "activations_reserved = activations_reserved - 1,"
            + " activations_used = activations_used + 1";
    /** What a failure does to its licence: the reservation is released. */
    public static final String RESERVATION_RELEASED = "activations_reserved = activations_reserved - 1";

    private static final String KNOWN = " SELECT EXISTS (SELECT 1 FROM registrations WHERE id = $1 AND domain = $2)";

    /**
     * Closes a pending registration with {@code status} (and its instance, when given); a migration
     * reserved nothing, so its licence is left alone, as is the licence of a registration that was no
     * longer pending.
     *
     * @param licenceChange what the close does to the licence's counts; null: nothing
     * @return whether the registration exists in the domain (false: nothing was changed)
     */
    public Uni<Boolean> closePending(SqlConnection tx, String id, String domain, RegistrationStatus status, String instanceId,
                                     String licenceChange, Instant now) {
        String sql = "WITH settled AS (UPDATE registrations SET status = $3, instance_id = COALESCE($4, instance_id),"
                + " activation_password_for_provisioning = NULL,"
                + " closed_at = $5 WHERE id = $1 AND domain = $2 AND status = 'PENDING' RETURNING licence_id, activation_type)"
                + (licenceChange == null ? "" : ", licence AS (UPDATE licences SET " + licenceChange + ", updated_at = $5"
                        + " WHERE id IN (SELECT licence_id FROM settled WHERE activation_type <> 'migrate') RETURNING id)")
                + KNOWN;
        return tx.preparedQuery(sql).execute(Tuple.of(id, domain, status.name(), instanceId, utc(now)))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * Every activated registration of a revoked instance is revoked, and gives its licence's activation
     * back (a migration's counted nothing).
     */
    public Uni<Void> revokeInstance(SqlConnection tx, String domain, String instanceId, Instant now) {
        return tx.preparedQuery("WITH revoked AS (UPDATE registrations SET status = 'REVOKED', closed_at = $3"
                        + " WHERE domain = $1 AND instance_id = $2 AND status = 'ACTIVATED' RETURNING licence_id, activation_type),"
                        + " given AS (UPDATE licences l SET activations_used = l.activations_used - r.count, updated_at = $3"
                        + " FROM (SELECT licence_id, count(*) AS count FROM revoked WHERE activation_type <> 'migrate'"
                        + " GROUP BY licence_id) r WHERE l.id = r.licence_id RETURNING l.id)"
                        + " SELECT count(*) FROM revoked")
                .execute(Tuple.of(domain, instanceId, utc(now))).replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
