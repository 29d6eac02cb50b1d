package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialStatus;

@ApplicationScoped
@WithSession
public class CredentialRepository implements PanacheRepositoryBase<Credential, UUID> {

    public Uni<List<Credential>> listActiveForUser(String domain, String userId) {
        return list("domain = ?1 and userId = ?2 and status = ?3", domain, userId, CredentialStatus.ACTIVE);
    }

    /**
     * The user's active credentials: activated instances, and imported tokens whose licence the
     * registration-service assigned to the user.
     */
    public Uni<List<Credential>> listUsable(String domain, String userId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT c.* FROM credentials c WHERE c.domain = ?1 AND c.status = 'ACTIVE' AND (c.user_id = ?2"
                                + " OR (c.source = 'pskc' AND EXISTS (SELECT 1 FROM licence_owners o WHERE o.domain = c.domain"
                                + " AND o.serial_number = c.serial_number AND o.user_id = ?2))) ORDER BY c.created_at", Credential.class)
                .setParameter(1, domain).setParameter(2, userId).getResultList());
    }

    /**
     * Moves the replay state forward, only if no other request moved it to this point or beyond:
     * the database decides, atomically, which of two concurrent requests with the same code wins.
     *
     * @return true for the one request that may accept the code
     */
    public Uni<Boolean> advance(UUID id, long accepted, int drift, Instant now) {
        return update("lastAccepted = ?1, drift = ?2, updatedAt = ?3 where id = ?4 and lastAccepted < ?1",
                accepted, drift, now, id).map(rows -> rows == 1);
    }
}
