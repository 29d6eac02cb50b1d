package org.countersign.registration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import org.countersign.registration.domain.Registration;
import org.countersign.registration.domain.RegistrationStatus;

@ApplicationScoped
@WithSession
public class RegistrationRepository implements PanacheRepositoryBase<Registration, String> {

    public Uni<Registration> lockInDomain(String domain, String id) {
        return find("domain = ?1 and id = ?2", domain, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Authenticators that count against the per-user cap: pending registrations and active ones. */
    public Uni<Long> countHeld(String domain, String userId, String authenticatorType) {
        return count("domain = ?1 and userId = ?2 and authenticatorType = ?3 and status in (?4, ?5)", domain, userId,
                authenticatorType, RegistrationStatus.PENDING, RegistrationStatus.ACTIVATED);
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
