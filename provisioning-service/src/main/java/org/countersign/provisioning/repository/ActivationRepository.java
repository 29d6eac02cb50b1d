package org.countersign.provisioning.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;

@ApplicationScoped
@WithSession
public class ActivationRepository implements PanacheRepositoryBase<Activation, String> {

    public Uni<Activation> lockInDomain(String domain, String registrationId) {
        return find("domain = ?1 and registrationId = ?2", domain, registrationId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** In any domain: ids are unique across domains. */
    public Uni<Activation> findAnyDomain(String registrationId) {
        return findById(registrationId);
    }

    public Uni<Activation> findInDomain(String domain, String registrationId) {
        return find("domain = ?1 and registrationId = ?2", domain, registrationId).firstResult();
    }

    public Uni<Activation> lock(String registrationId) {
        return find("registrationId", registrationId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Records a registration once, whichever comes first: its event or a device call that asked the
     * registration-service directly. The second writer changes nothing.
     *
     * @return whether this call recorded it (false: it was recorded before)
     */
    public Uni<Boolean> insertIfAbsent(Activation activation) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO activations (registration_id, domain, user_id, serial_number, activation_type,
                            migrate_instance_id, otp, status, sealed_activation_password, failed_attempts, expires_at, created_at,
                            updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?11, ?7, ?8, 0, ?9, ?10, ?10)
                        ON CONFLICT (registration_id) DO NOTHING""")
                .setParameter(1, activation.registrationId).setParameter(2, activation.domain)
                .setParameter(3, activation.userId).setParameter(4, activation.serialNumber)
                .setParameter(5, activation.activationType).setParameter(6, activation.migrateInstanceId)
                .setParameter(7, activation.status.name()).setParameter(8, activation.sealedActivationPassword)
                .setParameter(9, activation.expiresAt).setParameter(10, activation.createdAt)
                .setParameter(11, activation.otp)
                .executeUpdate()).map(rows -> rows > 0);
    }

    /** A user's activations still waiting for their device, locked. */
    public Uni<List<Activation>> lockOpenOfUser(String domain, String userId) {
        return find("domain = ?1 and userId = ?2 and status in (?3, ?4)", domain, userId, ActivationStatus.PENDING,
                ActivationStatus.DEVICE_ADDED).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
