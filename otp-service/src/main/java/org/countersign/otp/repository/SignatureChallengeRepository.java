package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.countersign.otp.domain.SignatureChallenge;

@ApplicationScoped
@WithSession
public class SignatureChallengeRepository implements PanacheRepositoryBase<SignatureChallenge, String> {

    /** The challenge, only within its domain: another domain's is as unknown as one that never was. */
    public Uni<SignatureChallenge> findIn(String domain, String id) {
        return find("id = ?1 and domain = ?2", id, domain).firstResult();
    }

    /**
     * Closes a pending challenge as approved, only if it is still pending and unexpired, and neither
     * its credential nor its user is locked: the database decides, atomically, which of two
     * concurrent right responses wins, and a lock that committed meanwhile wins over both.
     *
     * @return true for the one request that may approve
     */
    public Uni<Boolean> approve(SignatureChallenge challenge, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE signature_challenges s SET status = 'APPROVED', closed_at = ?1 WHERE s.id = ?2"
                                + " AND s.domain = ?3 AND s.status = 'PENDING' AND s.expires_at > ?1"
                                + " AND EXISTS (SELECT 1 FROM credentials c WHERE c.id = s.credential_id AND c.status = 'ACTIVE'"
                                + " AND (c.locked_until IS NULL OR c.locked_until <= ?1))"
                                + " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.domain = s.domain AND u.user_id = s.user_id"
                                + " AND u.locked_until > ?1)")
                .setParameter(1, now).setParameter(2, challenge.id).setParameter(3, challenge.domain).executeUpdate())
                .map(rows -> rows == 1);
    }
}
