package org.countersign.registration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.countersign.registration.domain.User;

@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    /** The user within one domain; a user of another domain is never found. */
    public Uni<User> findByDomainAndUserId(String domain, String userId) {
        return find("domain = ?1 and userId = ?2", domain, userId).firstResult();
    }

    /**
     * The user, created when absent, and locked until the transaction ends: every registration of
     * one user passes here, so the per-user cap is checked one registration at a time.
     */
    public Uni<User> lockOrCreate(String domain, String userId, java.time.Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO users (id, domain, user_id, status, created_at, updated_at)"
                                + " VALUES (?1, ?2, ?3, 'ACTIVE', ?4, ?4) ON CONFLICT (domain, user_id) DO NOTHING")
                .setParameter(1, UUID.randomUUID()).setParameter(2, domain).setParameter(3, userId).setParameter(4, now)
                .executeUpdate())
                .chain(() -> find("domain = ?1 and userId = ?2", domain, userId)
                        .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult());
    }

    /** The user within one domain, locked until the transaction ends (registrations of the user wait). */
    public Uni<User> lockInDomain(String domain, String userId) {
        return find("domain = ?1 and userId = ?2", domain, userId)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult();
    }
}
