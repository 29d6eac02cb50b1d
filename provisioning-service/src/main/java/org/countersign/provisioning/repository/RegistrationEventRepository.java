package org.countersign.provisioning.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.countersign.events.Outbox;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.domain.InstanceStatus;

/**
 * The statements that apply registration-service's events (RegistrationPending, the closes, UserDeactivated)
 * on the reactive client, no ORM session, on the connection of the consumer's transaction (which also
 * records the event's id). Rows are locked as the ORM did ({@code FOR UPDATE}): an activation before
 * its instance, the order of every other path.
 */
@ApplicationScoped
public class RegistrationEventRepository {

    private static final String LOCK = "SELECT " + ActivationRows.COLUMNS + " FROM activations WHERE registration_id = $1 FOR UPDATE";

    private static final String LOCK_OPEN_OF_USER = "SELECT " + ActivationRows.COLUMNS + " FROM activations"
            + " WHERE domain = $1 AND user_id = $2 AND status IN ('PENDING', 'DEVICE_ADDED') FOR UPDATE";

    /** A closed activation keeps no secret. */
    private static final String CLOSE = "UPDATE activations SET status = $2, sealed_activation_password = NULL,"
            + " sealed_device_code = NULL, sealed_instance_secret = NULL, updated_at = $3 WHERE registration_id = $1";

    private static final String INSTANCE_COLUMNS = "instance_id, domain, user_id, serial_number, status";

    /** Revoked with its event, unless it was revoked before; its secret is dropped. */
    private static final String REVOKE = "WITH revoked AS (UPDATE authenticator_instances SET status = 'REVOKED', revoked_at = $3,"
            + " sealed_instance_secret = NULL WHERE domain = $1 AND instance_id = $2 AND status <> 'REVOKED' RETURNING instance_id),"
            + " event AS (" + Outbox.insertRows(4, "EXISTS (SELECT 1 FROM revoked)") + ")"
            + " SELECT count(*) FROM revoked";

    /**
     * Records the activation as given (pending, or closed before its RegistrationPending came) unless one was
     * recorded before; the first writer wins.
     *
     * @return whether this call recorded it
     */
    public Uni<Boolean> insertIfAbsent(SqlConnection tx, Activation activation) {
        return tx.preparedQuery(ActivationRows.INSERT_IF_ABSENT).execute(ActivationRows.insertValues(activation))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The activation, locked until the transaction ends, in whatever domain it is; null when there is none. */
    public Uni<Activation> lock(SqlConnection tx, String registrationId) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(registrationId))
                .map(rows -> rows.size() == 0 ? null : ActivationRows.activation(rows.iterator().next()));
    }

    /** A user's activations still waiting for their device, locked. */
    public Uni<List<Activation>> lockOpenOfUser(SqlConnection tx, String domain, String userId) {
        return tx.preparedQuery(LOCK_OPEN_OF_USER).execute(Tuple.of(domain, userId)).map(rows -> {
            List<Activation> open = new ArrayList<>();
            rows.forEach(row -> open.add(ActivationRows.activation(row)));
            return open;
        });
    }

    /** Writes a close made by {@link Activation#close} (the status, the secrets dropped, the time). */
    public Uni<Void> closed(SqlConnection tx, Activation activation) {
        return tx.preparedQuery(CLOSE).execute(Tuple.of(activation.registrationId, activation.status.name(),
                ActivationRows.utc(activation.updatedAt))).replaceWithVoid();
    }

    /** The instance of the domain, locked, with what a revocation needs; null when there is none. */
    public Uni<AuthenticatorInstance> lockInstance(SqlConnection tx, String domain, String instanceId) {
        return tx.preparedQuery("SELECT " + INSTANCE_COLUMNS + " FROM authenticator_instances WHERE domain = $1 AND instance_id = $2"
                        + " FOR UPDATE").execute(Tuple.of(domain, instanceId))
                .map(rows -> rows.size() == 0 ? null : instance(rows.iterator().next()));
    }

    /** A user's active instances, locked, with what a revocation needs. */
    public Uni<List<AuthenticatorInstance>> lockActiveInstancesOfUser(SqlConnection tx, String domain, String userId) {
        return tx.preparedQuery("SELECT " + INSTANCE_COLUMNS + " FROM authenticator_instances WHERE domain = $1 AND user_id = $2"
                        + " AND status = 'ACTIVE' FOR UPDATE").execute(Tuple.of(domain, userId)).map(rows -> {
                    List<AuthenticatorInstance> active = new ArrayList<>();
                    rows.forEach(row -> active.add(instance(row)));
                    return active;
                });
    }

    /** @return whether it was revoked now, with its event (false: it was revoked before, nothing written) */
    public Uni<Boolean> revoke(SqlConnection tx, AuthenticatorInstance instance, Instant now, Outbox.Row event) {
        Tuple parameters = Tuple.tuple().addString(instance.domain).addString(instance.instanceId)
                .addOffsetDateTime(ActivationRows.utc(now));
        return tx.preparedQuery(REVOKE).execute(Outbox.bindRows(parameters, List.of(event)))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }

    private static AuthenticatorInstance instance(Row row) {
        AuthenticatorInstance instance = new AuthenticatorInstance();
        instance.instanceId = row.getString("instance_id");
        instance.domain = row.getString("domain");
        instance.userId = row.getString("user_id");
        instance.serialNumber = row.getString("serial_number");
        instance.status = InstanceStatus.valueOf(row.getString("status"));
        return instance;
    }
}
