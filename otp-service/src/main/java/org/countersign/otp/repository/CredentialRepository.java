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
        return listForUser(domain, userId, "'ACTIVE', 'LOCKED'");
    }

    /** Every credential of the user but revoked ones, for operators. */
    public Uni<List<Credential>> listForAdmin(String domain, String userId) {
        return listForUser(domain, userId, "'ACTIVE', 'LOCKED', 'DISABLED'");
    }

    /**
     * The user's own credentials, then the imported tokens whose licence the user holds. Two branches
     * rather than one OR, so that each reads its index (credentials by user, licence owners by user,
     * tokens by serial number); the OR made PostgreSQL scan every credential on each check.
     */
    private Uni<List<Credential>> listForUser(String domain, String userId, String statuses) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT c.* FROM credentials c WHERE c.domain = ?1 AND c.user_id = ?2 AND c.status IN (" + statuses + ")"
                                + " UNION ALL SELECT c.* FROM licence_owners o JOIN credentials c ON c.domain = o.domain"
                                + " AND c.serial_number = o.serial_number AND c.source = 'pskc' WHERE o.domain = ?1"
                                + " AND o.user_id = ?2 AND c.status IN (" + statuses + ") AND c.user_id IS DISTINCT FROM ?2"
                                + " ORDER BY created_at", Credential.class)
                .setParameter(1, domain).setParameter(2, userId).getResultList());
    }

    /**
     * Moves the replay state forward, only if no other request moved it to this point or beyond:
     * the database decides, atomically, which of two concurrent requests with the same code wins.
     * A lock of the credential or of its user that committed meanwhile wins over the code too, so a
     * guess still in flight when the lock falls cannot be accepted.
     *
     * @return true for the one request that may accept the code
     */
    public Uni<Boolean> advance(Credential credential, String userId, long accepted, int drift, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE credentials SET last_accepted = ?1, drift = ?2, updated_at = ?3, last_used_at = ?3,"
                                + " fail_count = 0, lock_count = 0 WHERE id = ?4 AND last_accepted < ?1 AND status = 'ACTIVE'"
                                + " AND (locked_until IS NULL OR locked_until <= ?3) AND NOT EXISTS (SELECT 1 FROM users u"
                                + " WHERE u.domain = ?5 AND u.user_id = ?6 AND u.locked_until > ?3)")
                .setParameter(1, accepted).setParameter(2, drift).setParameter(3, now).setParameter(4, credential.id)
                .setParameter(5, credential.domain).setParameter(6, userId).executeUpdate()).map(rows -> rows == 1);
    }

    /**
     * OCRA time steps (RFC 6287, suites with T): as {@link #advance}, but the same step may be accepted
     * again for another challenge (each challenge is accepted once on its own, and a response is bound
     * to its challenge), while an older step never is. A strict rule would allow one challenge per
     * time step, which with an hour-long step is one transaction an hour.
     *
     * @return true for the one request that may accept the response
     */
    public Uni<Boolean> advanceTimeStep(Credential credential, String userId, long step, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE credentials SET last_accepted = ?1, updated_at = ?2, last_used_at = ?2,"
                                + " fail_count = 0, lock_count = 0 WHERE id = ?3 AND last_accepted <= ?1 AND status = 'ACTIVE'"
                                + " AND (locked_until IS NULL OR locked_until <= ?2) AND NOT EXISTS (SELECT 1 FROM users u"
                                + " WHERE u.domain = ?4 AND u.user_id = ?5 AND u.locked_until > ?2)")
                .setParameter(1, step).setParameter(2, now).setParameter(3, credential.id)
                .setParameter(4, credential.domain).setParameter(5, userId).executeUpdate()).map(rows -> rows == 1);
    }

    /** A plain OCRA suite (no counter, no time): only the last use and the failure state move. */
    public Uni<Boolean> touch(Credential credential, String userId, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE credentials SET updated_at = ?1, last_used_at = ?1, fail_count = 0, lock_count = 0"
                                + " WHERE id = ?2 AND status = 'ACTIVE' AND (locked_until IS NULL OR locked_until <= ?1)"
                                + " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.domain = ?3 AND u.user_id = ?4"
                                + " AND u.locked_until > ?1)")
                .setParameter(1, now).setParameter(2, credential.id).setParameter(3, credential.domain)
                .setParameter(4, userId).executeUpdate()).map(rows -> rows == 1);
    }

    /** The PostgreSQL fallback of the failure counter: one atomic increment within the period. */
    public Uni<Long> countFailure(UUID id, Instant now, Instant periodStart) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE credentials SET fail_count = CASE WHEN fail_window_start > ?2 THEN fail_count + 1 ELSE 1 END,"
                                + " fail_window_start = CASE WHEN fail_window_start > ?2 THEN fail_window_start ELSE ?3 END"
                                + " WHERE id = ?1 RETURNING fail_count", Integer.class)
                .setParameter(1, id).setParameter(2, periodStart).setParameter(3, now).getSingleResult())
                .map(Integer::longValue);
    }

    /**
     * Locks for a while; the maxLocks-th lock in a row is for good (status LOCKED).
     *
     * @return the new status, or nothing when the credential was already locked
     */
    public Uni<java.util.Optional<String>> lock(UUID id, Instant now, Instant until, int maxLocks) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE credentials SET locked_until = ?2, lock_count = lock_count + 1, fail_count = 0,"
                                + " status = CASE WHEN lock_count + 1 >= ?3 THEN 'LOCKED' ELSE status END, updated_at = ?4"
                                + " WHERE id = ?1 AND status = 'ACTIVE' AND (locked_until IS NULL OR locked_until <= ?4)"
                                + " RETURNING status", String.class)
                .setParameter(1, id).setParameter(2, until).setParameter(3, maxLocks).setParameter(4, now)
                .getResultList()).map(rows -> rows.stream().findFirst());
    }

    /** Who holds a credential: the user of an instance, or the holder of an imported token's licence. */
    public Uni<String> holder(Credential credential) {
        if (credential.userId != null) {
            return Uni.createFrom().item(credential.userId);
        }
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT user_id FROM licence_owners WHERE domain = ?1 AND serial_number = ?2", String.class)
                .setParameter(1, credential.domain).setParameter(2, credential.serialNumber).getResultList())
                .map(rows -> rows.isEmpty() ? "unassigned" : rows.get(0));
    }

    /** An admin unlock: the credential starts afresh. */
    public Uni<Boolean> unlock(String domain, UUID id, Instant now) {
        return update("status = ?1, lockedUntil = null, lockCount = 0, failCount = 0, updatedAt = ?2 where id = ?3"
                + " and domain = ?4 and status in (?1, ?5)", CredentialStatus.ACTIVE, now, id, domain, CredentialStatus.LOCKED)
                .map(rows -> rows == 1);
    }

    public Uni<Boolean> setStatus(String domain, UUID id, CredentialStatus from, CredentialStatus to, Instant now) {
        return update("status = ?1, updatedAt = ?2 where id = ?3 and domain = ?4 and status = ?5", to, now, id, domain, from)
                .map(rows -> rows == 1);
    }

    /**
     * Revokes an instance for good, and remembers it even before its credential arrived (the two
     * come on different topics), so that a late CredentialProvisioned is stored revoked.
     */
    public Uni<Void> revokeInstance(String domain, String instanceId, Instant revokedAt, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                                "INSERT INTO revoked_instances (instance_id, domain, revoked_at) VALUES (?1, ?2, ?3)"
                                        + " ON CONFLICT (instance_id) DO NOTHING")
                        .setParameter(1, instanceId).setParameter(2, domain).setParameter(3, revokedAt).executeUpdate()
                        .chain(() -> session.createNativeQuery("UPDATE credentials SET status = 'REVOKED', updated_at = ?3"
                                        + " WHERE domain = ?1 AND instance_id = ?2 AND status <> 'REVOKED'")
                                .setParameter(1, domain).setParameter(2, instanceId).setParameter(3, now).executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * A deactivated user's credentials: activated instances are revoked (they were the user's alone);
     * imported tokens the user holds are disabled, since the licence, not the token, is the user's,
     * and an operator can enable the token again once the user is back or the licence moves.
     */
    public Uni<Void> withdrawFromUser(String domain, String userId, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                                "UPDATE credentials SET status = 'REVOKED', updated_at = ?3"
                                        + " WHERE domain = ?1 AND user_id = ?2 AND status <> 'REVOKED'")
                        .setParameter(1, domain).setParameter(2, userId).setParameter(3, now).executeUpdate()
                        .chain(() -> session.createNativeQuery("UPDATE credentials c SET status = 'DISABLED', updated_at = ?3"
                                        + " WHERE c.domain = ?1 AND c.source = 'pskc' AND c.status IN ('ACTIVE', 'LOCKED')"
                                        + " AND EXISTS (SELECT 1 FROM licence_owners o WHERE o.domain = c.domain"
                                        + " AND o.serial_number = c.serial_number AND o.user_id = ?2)")
                                .setParameter(1, domain).setParameter(2, userId).setParameter(3, now).executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * An imported token just assigned to a user who was deactivated at or after the assignment: it is
     * disabled, as the deactivation disables the tokens its user holds.
     */
    public Uni<Void> disableTokenIfOwnerDeactivatedSince(String domain, String serialNumber, String userId, Instant assignedAt,
                                                         Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE credentials c SET status = 'DISABLED', updated_at = ?5 WHERE c.domain = ?1 AND c.serial_number = ?2"
                                + " AND c.source = 'pskc' AND c.status IN ('ACTIVE', 'LOCKED') AND EXISTS (SELECT 1 FROM users u"
                                + " WHERE u.domain = ?1 AND u.user_id = ?3 AND u.deactivated_at >= ?4)")
                .setParameter(1, domain).setParameter(2, serialNumber).setParameter(3, userId).setParameter(4, assignedAt)
                .setParameter(5, now).executeUpdate()).replaceWithVoid();
    }

    /**
     * Whether an instance's credential must arrive revoked: the instance was revoked, or its user was
     * deactivated at or after the moment it was provisioned.
     */
    public Uni<Boolean> withdrawnBefore(String domain, String userId, String instanceId, Instant provisionedAt) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT EXISTS (SELECT 1 FROM revoked_instances WHERE instance_id = ?1)"
                                + " OR EXISTS (SELECT 1 FROM users WHERE domain = ?2 AND user_id = ?3 AND deactivated_at >= ?4)",
                        Boolean.class)
                .setParameter(1, instanceId).setParameter(2, domain).setParameter(3, userId).setParameter(4, provisionedAt)
                .getSingleResult());
    }
}
