package org.countersign.push.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.DeviceStatus;

@ApplicationScoped
@WithSession
public class DeviceRepository implements PanacheRepositoryBase<Device, String> {

    public Uni<Device> findActiveIn(String domain, String instanceId) {
        return find("domain = ?1 and instanceId = ?2 and status = ?3", domain, instanceId, DeviceStatus.ACTIVE).firstResult();
    }

    /** A user's active devices, oldest first. */
    public Uni<List<Device>> listActiveForUser(String domain, String userId) {
        return list("domain = ?1 and userId = ?2 and status = ?3 order by createdAt, instanceId", domain, userId,
                DeviceStatus.ACTIVE);
    }

    /**
     * Takes the user's {@link UserLocks lock} for the rest of the transaction: an activation being applied at
     * the same moment then commits before the next read, or waits for this transaction.
     */
    public Uni<Void> lockUser(String domain, String userId) {
        return getSession().chain(session -> session.createNativeQuery(UserLocks.LOCK_IN_SESSION, Integer.class)
                .setParameter(1, UserLocks.key(domain, userId)).getSingleResult()).replaceWithVoid();
    }

    /** The active devices of a deactivated user that were activated at or before the deactivation. */
    public Uni<List<Device>> listActivatedBy(String domain, String userId, Instant until) {
        return list("domain = ?1 and userId = ?2 and status = ?3 and activatedAt <= ?4", domain, userId, DeviceStatus.ACTIVE,
                until);
    }
}
