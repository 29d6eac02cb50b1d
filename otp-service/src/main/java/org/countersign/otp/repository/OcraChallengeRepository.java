package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import org.countersign.otp.domain.OcraChallenge;

@ApplicationScoped
@WithSession
public class OcraChallengeRepository implements PanacheRepositoryBase<OcraChallenge, String> {

    /**
     * The challenge, only within its domain (another domain's is as unknown as one that never was),
     * locked for the rest of the verifying transaction. Answers to one challenge are thus checked one
     * after the other: without the lock, an answer could read the challenge before a concurrent right
     * answer committed and the token's counter after, and count that right answer as a wrong guess
     * (enough of them locked the token).
     */
    public Uni<OcraChallenge> lockIn(String domain, String id) {
        return find("id = ?1 and domain = ?2", id, domain).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /**
     * Closes a pending challenge as accepted, only if it is still pending and unexpired, and neither
     * its credential nor its user is locked: the database decides, atomically, which of two
     * concurrent right responses wins (the second waits for the first's row lock, then finds the
     * challenge closed), and a lock that committed meanwhile wins over both.
     *
     * @return true for the one request that may accept
     */
    public Uni<Boolean> accept(OcraChallenge challenge, Long movingFactor, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE ocra_challenges s SET status = 'ACCEPTED', closed_at = ?1, moving_factor = ?4 WHERE s.id = ?2"
                                + " AND s.domain = ?3 AND s.status = 'PENDING' AND s.expires_at > ?1"
                                + " AND EXISTS (SELECT 1 FROM credentials c WHERE c.id = s.credential_id AND c.status = 'ACTIVE'"
                                + " AND (c.locked_until IS NULL OR c.locked_until <= ?1))"
                                + " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.domain = s.domain AND u.user_id = s.user_id"
                                + " AND u.locked_until > ?1)")
                .setParameter(1, now).setParameter(2, challenge.id).setParameter(3, challenge.domain)
                .setParameter(4, movingFactor).executeUpdate())
                .map(rows -> rows == 1);
    }

    /**
     * Undoes {@link #accept} within the same transaction, when the credential's counter or time step
     * could not be moved (another challenge took it meanwhile). The row is still locked by this
     * transaction, so no other ever sees it accepted.
     */
    public Uni<Void> reopen(OcraChallenge challenge) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE ocra_challenges SET status = 'PENDING', closed_at = NULL, moving_factor = NULL WHERE id = ?1")
                .setParameter(1, challenge.id).executeUpdate()).replaceWithVoid();
    }
}
