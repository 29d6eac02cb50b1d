package org.countersign.provisioning.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.countersign.events.Outbox;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.AuthenticatorInstance;

/**
 * The statements of an offline device call, on the reactive client directly (no ORM session, no entity
 * mapping): one read of the activation, and one statement that decides, changes the activation only from
 * the state the call was decided on, and writes the events (and the instance) in its own implicit
 * transaction, all or nothing. A decision that finds the row moved on changes nothing and says so; the
 * caller then takes the locked way.
 */
@ApplicationScoped
public class DeviceCallRepository {

    private static final String FIND = "SELECT " + ActivationRows.COLUMNS + " FROM activations WHERE registration_id = $1";

    /** The device added: only to a pending offline activation of the domain that has not expired, with DeviceAdded. */
    private static final String DEVICE_ADDED = "WITH moved AS (UPDATE activations SET status = 'DEVICE_ADDED', instance_id = $3,"
            + " otp = $4, sealed_instance_secret = $5, sealed_device_code = $6, updated_at = $7"
            + " WHERE registration_id = $1 AND domain = $2 AND status = 'PENDING' AND activation_type = 'offline'"
            + " AND expires_at > $7 RETURNING registration_id),"
            + " event AS (" + Outbox.insertRows(8, "EXISTS (SELECT 1 FROM moved)") + ")"
            + " SELECT count(*) FROM moved";

    /**
     * A registration recorded with its device already added, and DeviceAdded, only when it is not recorded
     * yet: the row that recording it and then adding the device (above) would leave, in one statement.
     */
    private static final String RECORDED_ADDED = "WITH added AS (INSERT INTO activations (" + ActivationRows.INSERTED
            + ", instance_id, sealed_instance_secret, sealed_device_code) VALUES (" + ActivationRows.INSERTED_VALUES
            + ", $12, $13, $14, $15) ON CONFLICT (registration_id) DO NOTHING RETURNING registration_id),"
            + " event AS (" + Outbox.insertRows(16, "EXISTS (SELECT 1 FROM added)") + ")"
            + " SELECT count(*) FROM added";

    /**
     * Activated: only the offline activation of the domain whose device (this instance) was added, not
     * expired; its secrets cleared, the instance written, AuthenticatorActivated and CredentialProvisioned.
     */
    private static final String ACTIVATED = "WITH closed AS (UPDATE activations SET status = 'ACTIVATED',"
            + " sealed_activation_password = NULL, sealed_device_code = NULL, sealed_instance_secret = NULL, updated_at = $4"
            + " WHERE registration_id = $1 AND domain = $2 AND instance_id = $3 AND status = 'DEVICE_ADDED'"
            + " AND activation_type = 'offline' AND expires_at > $4 RETURNING registration_id),"
            + " instance AS (INSERT INTO authenticator_instances (instance_id, domain, user_id, serial_number, mode, status,"
            + " registration_id, otp, sealed_instance_secret, created_at) SELECT $3, $2, $5, $6, $7, 'ACTIVE', registration_id,"
            + " $8, $9, $4 FROM closed),"
            + " event AS (" + Outbox.insertRows(10, "EXISTS (SELECT 1 FROM closed)") + ")"
            + " SELECT count(*) FROM closed";

    private final Pool pool;

    public DeviceCallRepository(Pool pool) {
        this.pool = pool;
    }

    /** The activation in whatever domain it is (ids are unique across domains), or null. */
    public Uni<Activation> find(String registrationId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(registrationId))
                .map(rows -> rows.size() == 0 ? null : ActivationRows.activation(rows.iterator().next()));
    }

    /**
     * Records a registration (as given, PENDING) the way its RegistrationPending event would; the first writer wins.
     *
     * @return whether this call recorded it (false: it was recorded before)
     */
    public Uni<Boolean> insertIfAbsent(Activation activation) {
        return pool.preparedQuery(ActivationRows.INSERT_IF_ABSENT).execute(ActivationRows.insertValues(activation))
                .map(rows -> rows.rowCount() > 0);
    }

    /** @param activation as it stands once the device is added; @return whether it was (false: nothing written) */
    public Uni<Boolean> deviceAdded(Activation activation, Outbox.Row event) {
        Tuple parameters = Tuple.tuple().addString(activation.registrationId).addString(activation.domain)
                .addString(activation.instanceId).addString(activation.otp).addString(activation.sealedInstanceSecret)
                .addString(activation.sealedDeviceCode).addOffsetDateTime(ActivationRows.utc(activation.updatedAt));
        return pool.preparedQuery(DEVICE_ADDED).execute(Outbox.bindRows(parameters, List.of(event)))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }

    /**
     * @param added a registration not recorded here yet, as it stands once its device is added
     * @return whether it was recorded (false: it was recorded before; nothing written)
     */
    public Uni<Boolean> insertAdded(Activation added, Outbox.Row event) {
        Tuple parameters = ActivationRows.insertValues(added).addOffsetDateTime(ActivationRows.utc(added.updatedAt))
                .addString(added.instanceId).addString(added.sealedInstanceSecret).addString(added.sealedDeviceCode);
        return pool.preparedQuery(RECORDED_ADDED).execute(Outbox.bindRows(parameters, List.of(event)))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }

    /** @return whether the activation was closed with its instance and events (false: nothing written) */
    public Uni<Boolean> activated(Activation activation, AuthenticatorInstance instance, List<Outbox.Row> events) {
        Tuple parameters = Tuple.tuple().addString(activation.registrationId).addString(activation.domain)
                .addString(instance.instanceId).addOffsetDateTime(ActivationRows.utc(instance.createdAt)).addString(instance.userId)
                .addString(instance.serialNumber).addString(instance.mode.name()).addString(instance.otp)
                .addString(instance.sealedInstanceSecret);
        return pool.preparedQuery(ACTIVATED).execute(Outbox.bindRows(parameters, events))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }
}
