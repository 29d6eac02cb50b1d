package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
     * guess still in flight when the lock falls cannot be accepted. A win clears the credential's
     * failures and gives the user's reserved attempt back, in the same statement.
     *
     * @return true for the one request that may accept the code
     */
    public Uni<Boolean> advance(Credential credential, String userId, long accepted, int drift, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "WITH accepted AS (UPDATE credentials SET last_accepted = ?1, drift = ?2, updated_at = ?3,"
                                + " last_used_at = ?3, fail_count = 0, fail_window_start = NULL, lock_count = 0"
                                + " WHERE id = ?4 AND last_accepted < ?1 AND status = 'ACTIVE'"
                                + " AND (locked_until IS NULL OR locked_until <= ?3) AND NOT EXISTS (SELECT 1 FROM users u"
                                + " WHERE u.domain = ?5 AND u.user_id = ?6 AND u.locked_until > ?3) RETURNING id)"
                                + giveBackAfterAccepted(5, 6), Long.class)
                .setParameter(1, accepted).setParameter(2, drift).setParameter(3, now).setParameter(4, credential.id)
                .setParameter(5, credential.domain).setParameter(6, userId).getSingleResult()).map(rows -> rows == 1);
    }

    /**
     * The user's half of a success, appended to a statement whose CTE {@code accepted} changed the
     * credential: the attempt the user reserved is given back (the failures before it stay: a rate of
     * failures is not forgiven by the real user's login), and the user's locks in a row start afresh.
     * The credential's row is changed before the user's, the order every statement keeps.
     */
    private static String giveBackAfterAccepted(int domainParameter, int userParameter) {
        return giveBackAfter(domainParameter, userParameter, ", lock_count = 0");
    }

    private static String giveBackAfter(int domainParameter, int userParameter, String alsoSet) {
        return ", forgiven AS (UPDATE users SET fail_count = GREATEST(fail_count - 1, 0)" + alsoSet
                + " WHERE domain = ?" + domainParameter + " AND user_id = ?" + userParameter
                + " AND EXISTS (SELECT 1 FROM accepted)) SELECT count(*) FROM accepted";
    }

    /**
     * A right answer that lost a race (another request accepted the same challenge or counter first)
     * was no guess: its reserved attempt is given back to the credential and the user.
     */
    public Uni<Void> giveBack(Credential credential, String userId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "WITH accepted AS (UPDATE credentials SET fail_count = GREATEST(fail_count - 1, 0) WHERE id = ?1"
                                + " RETURNING id)" + giveBackAfter(2, 3, ""), Long.class)
                .setParameter(1, credential.id).setParameter(2, credential.domain).setParameter(3, userId).getSingleResult())
                .replaceWithVoid();
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
                        "WITH accepted AS (UPDATE credentials SET last_accepted = ?1, updated_at = ?2, last_used_at = ?2,"
                                + " fail_count = 0, fail_window_start = NULL, lock_count = 0 WHERE id = ?3"
                                + " AND last_accepted <= ?1 AND status = 'ACTIVE' AND (locked_until IS NULL OR locked_until <= ?2)"
                                + " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.domain = ?4 AND u.user_id = ?5"
                                + " AND u.locked_until > ?2) RETURNING id)" + giveBackAfterAccepted(4, 5), Long.class)
                .setParameter(1, step).setParameter(2, now).setParameter(3, credential.id)
                .setParameter(4, credential.domain).setParameter(5, userId).getSingleResult()).map(rows -> rows == 1);
    }

    /**
     * A success that moves no replay state (a plain OCRA suite, an approved signature): the last use,
     * and the credential's failures cleared and the user's attempt given back, as by {@link #advance}.
     *
     * @return whether the credential was still usable
     */
    public Uni<Boolean> touch(Credential credential, String userId, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "WITH accepted AS (UPDATE credentials SET updated_at = ?1, last_used_at = ?1, fail_count = 0,"
                                + " fail_window_start = NULL, lock_count = 0 WHERE id = ?2 AND status = 'ACTIVE'"
                                + " AND (locked_until IS NULL OR locked_until <= ?1) AND NOT EXISTS (SELECT 1 FROM users u"
                                + " WHERE u.domain = ?3 AND u.user_id = ?4 AND u.locked_until > ?1) RETURNING id)"
                                + giveBackAfterAccepted(3, 4), Long.class)
                .setParameter(1, now).setParameter(2, credential.id).setParameter(3, credential.domain)
                .setParameter(4, userId).getSingleResult()).map(rows -> rows == 1);
    }

    /**
     * Locks a credential whose budget this failure spent, for the duration its locks in a row call for
     * ({@code lockSeconds}: the durations in seconds; the last one repeats); the domain's
     * {@code permanent_lock_after}-th lock in a row is for good (status LOCKED). Nothing happens when
     * the credential is already locked, or a success cleared its failures meanwhile.
     *
     * @return the new status and locks in a row, or nothing when this call did not lock
     */
    public Uni<Optional<Locked>> lock(UUID id, Instant now, Instant periodStart, int maxFailures, Long[] lockSeconds) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE credentials c SET locked_until = CAST(?2 AS timestamptz) + make_interval(secs => (CAST(?5 AS bigint[]))"
                                + "[LEAST(c.lock_count + 1, cardinality(CAST(?5 AS bigint[])))]), lock_count = c.lock_count + 1,"
                                + " fail_count = 0, fail_window_start = NULL, updated_at = ?2,"
                                + " status = CASE WHEN EXISTS (SELECT 1 FROM domain_settings d WHERE d.domain = c.domain"
                                + " AND d.permanent_lock_after <= c.lock_count + 1) THEN 'LOCKED' ELSE c.status END"
                                + " WHERE c.id = ?1 AND c.status = 'ACTIVE' AND (c.locked_until IS NULL OR c.locked_until <= ?2)"
                                + " AND c.fail_window_start > ?3 AND c.fail_count >= ?4 RETURNING c.status, c.lock_count", Object[].class)
                .setParameter(1, id).setParameter(2, now).setParameter(3, periodStart).setParameter(4, maxFailures)
                .setParameter(5, lockSeconds).getResultList())
                .map(rows -> rows.stream().findFirst().map(row -> new Locked(
                        CredentialStatus.valueOf(row[0].toString()), ((Number) row[1]).intValue())));
    }

    /** What a lock did: the credential's status (LOCKED for good, or ACTIVE with a temporary lock) and its locks in a row. */
    public record Locked(CredentialStatus status, int lockCount) {
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
        return update("status = ?1, lockedUntil = null, lockCount = 0, failCount = 0, failWindowStart = null, updatedAt = ?2 where id = ?3"
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
        return getSession().chain(session -> lock(session, CredentialLocks.instance(instanceId)).chain(() -> session.createNativeQuery(
                                "INSERT INTO revoked_instances (instance_id, domain, revoked_at) VALUES (?1, ?2, ?3)"
                                        + " ON CONFLICT (instance_id) DO NOTHING")
                        .setParameter(1, instanceId).setParameter(2, domain).setParameter(3, revokedAt).executeUpdate()
                        .chain(() -> session.createNativeQuery("UPDATE credentials SET status = 'REVOKED', updated_at = ?3"
                                        + " WHERE domain = ?1 AND instance_id = ?2 AND status <> 'REVOKED'")
                                .setParameter(1, domain).setParameter(2, instanceId).setParameter(3, now).executeUpdate())))
                .replaceWithVoid();
    }

    /**
     * A deactivated user's credentials: activated instances are revoked (they were the user's alone);
     * imported tokens the user holds are disabled, since the licence, not the token, is the user's,
     * and an operator can enable the token again once the user is back or the licence moves.
     */
    public Uni<Void> withdrawFromUser(String domain, String userId, Instant now) {
        return getSession().chain(session -> lock(session, CredentialLocks.user(domain, userId)).chain(() -> session.createNativeQuery(
                                "UPDATE credentials SET status = 'REVOKED', updated_at = ?3"
                                        + " WHERE domain = ?1 AND user_id = ?2 AND status <> 'REVOKED'")
                        .setParameter(1, domain).setParameter(2, userId).setParameter(3, now).executeUpdate()
                        .chain(() -> session.createNativeQuery("UPDATE credentials c SET status = 'DISABLED', updated_at = ?3"
                                        + " WHERE c.domain = ?1 AND c.source = 'pskc' AND c.status IN ('ACTIVE', 'LOCKED')"
                                        + " AND EXISTS (SELECT 1 FROM licence_owners o WHERE o.domain = c.domain"
                                        + " AND o.serial_number = c.serial_number AND o.user_id = ?2)")
                                .setParameter(1, domain).setParameter(2, userId).setParameter(3, now).executeUpdate())))
                .replaceWithVoid();
    }

    /**
     * Takes a {@link CredentialLocks} key until the transaction ends: before its statements read, so that
     * they see a CredentialProvisioned applied meanwhile, or it sees them.
     */
    private static Uni<Object> lock(org.hibernate.reactive.mutiny.Mutiny.Session session, String key) {
        return session.createNativeQuery(CredentialLocks.LOCK.replace("$1", "?1")).setParameter(1, key).getSingleResult();
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
}
