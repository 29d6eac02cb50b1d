package org.countersign.registration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import org.countersign.registration.domain.ActivationType;
import org.countersign.registration.domain.Registration;
import org.countersign.registration.domain.RegistrationStatus;

@ApplicationScoped
@WithSession
public class RegistrationRepository implements PanacheRepositoryBase<Registration, String> {

    public Uni<Registration> lockInDomain(String domain, String id) {
        return find("domain = ?1 and id = ?2", domain, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Authenticators that count against the per-user cap: pending registrations and active ones. A
     * migration is left out: it moves an instance its first registration already counts, so counting it
     * too would count one instance twice once it settles.
     */
    public Uni<Long> countHeld(String domain, String userId, String authenticatorType) {
        return count("domain = ?1 and userId = ?2 and authenticatorType = ?3 and status in (?4, ?5) and activationType <> ?6",
                domain, userId, authenticatorType, RegistrationStatus.PENDING, RegistrationStatus.ACTIVATED,
                ActivationType.MIGRATE.wire());
    }

    /** Whether a migration of this instance is pending and not yet due: one instance moves online by one registration at a time. */
    public Uni<Boolean> migrationPending(String domain, String instanceId, Instant now) {
        return count("domain = ?1 and instanceId = ?2 and activationType = ?3 and status = ?4 and expiresAt > ?5", domain,
                instanceId, ActivationType.MIGRATE.wire(), RegistrationStatus.PENDING, now).map(count -> count > 0);
    }

    /** Whether a registration of this id exists, in any domain and state (ids are unique across domains). */
    public Uni<Boolean> exists(String id) {
        return count("id = ?1", id).map(count -> count > 0);
    }

    public Uni<List<Registration>> listForUser(String domain, String userId) {
        return list("domain = ?1 and userId = ?2 order by createdAt", domain, userId);
    }

    /** Pending registrations whose time is up, locked, skipping any another replica is expiring. */
    public Uni<List<Registration>> lockExpired(Instant now, int limit) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT * FROM registrations WHERE status = 'PENDING' AND expires_at <= ?1"
                                + " ORDER BY expires_at LIMIT ?2 FOR UPDATE SKIP LOCKED", Registration.class)
                .setParameter(1, now).setParameter(2, limit).getResultList());
    }

    /** A user's pending registrations, locked, oldest first. */
    public Uni<List<Registration>> lockPendingOfUser(String domain, String userId) {
        return find("domain = ?1 and userId = ?2 and status = ?3 order by createdAt", domain, userId, RegistrationStatus.PENDING)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
