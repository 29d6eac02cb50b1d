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
}
