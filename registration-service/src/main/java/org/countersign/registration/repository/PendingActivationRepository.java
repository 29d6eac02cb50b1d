package org.countersign.registration.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.registration.domain.Registration;
import org.countersign.registration.domain.RegistrationStatus;

/**
 * The one read of {@code pending-activation}, which a device faster than the RegistrationPending event
 * costs (activations in waves make most of them so): on the reactive client, no ORM session, only the
 * columns the event's payload needs.
 */
@ApplicationScoped
public class PendingActivationRepository {

    private static final String FIND = "SELECT id, domain, user_id, serial_number, activation_type, instance_id, otp, status,"
            + " sealed_activation_password, activation_password_for_provisioning, expires_at"
            + " FROM registrations WHERE domain = $1 AND id = $2";

    private final Pool pool;

    public PendingActivationRepository(Pool pool) {
        this.pool = pool;
    }

    /** The registration of the domain with what its RegistrationPending payload needs, or null (a detached entity). */
    public Uni<Registration> find(String domain, String registrationId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(domain, registrationId))
                .map(rows -> rows.size() == 0 ? null : registration(rows.iterator().next()));
    }

    private static Registration registration(Row row) {
        Registration registration = new Registration();
        registration.id = row.getString("id");
        registration.domain = row.getString("domain");
        registration.userId = row.getString("user_id");
        registration.serialNumber = row.getString("serial_number");
        registration.activationType = row.getString("activation_type");
        registration.instanceId = row.getString("instance_id");
        registration.otp = row.getString("otp");
        registration.status = RegistrationStatus.valueOf(row.getString("status"));
        registration.sealedActivationPassword = row.getString("sealed_activation_password");
        registration.activationPasswordForProvisioning = row.getString("activation_password_for_provisioning");
        registration.expiresAt = row.getOffsetDateTime("expires_at").toInstant();
        return registration;
    }
}
