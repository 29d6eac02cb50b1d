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

    /** Revokes the instance if it is known and active; 0 or 1. */
    public Uni<Integer> revoke(String domain, String instanceId, Instant revokedAt) {
        return update("status = ?1, revokedAt = ?2 where domain = ?3 and instanceId = ?4 and status = ?5",
                DeviceStatus.REVOKED, revokedAt, domain, instanceId, DeviceStatus.ACTIVE);
    }

    /** The active devices of a deactivated user that were activated at or before the deactivation. */
    public Uni<List<Device>> listActivatedBy(String domain, String userId, Instant until) {
        return list("domain = ?1 and userId = ?2 and status = ?3 and activatedAt <= ?4", domain, userId, DeviceStatus.ACTIVE,
                until);
    }

    public Uni<Boolean> isTombstoned(String instanceId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT count(*) FROM revoked_instances WHERE instance_id = ?1", Long.class)
                .setParameter(1, instanceId).getSingleResult()).map(n -> n > 0);
    }

    public Uni<Void> tombstone(String instanceId, String domain, Instant revokedAt) {
        return getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO revoked_instances (instance_id, domain, revoked_at) VALUES (?1, ?2, ?3)"
                                + " ON CONFLICT (instance_id) DO NOTHING")
                .setParameter(1, instanceId).setParameter(2, domain).setParameter(3, revokedAt).executeUpdate()).replaceWithVoid();
    }
}
