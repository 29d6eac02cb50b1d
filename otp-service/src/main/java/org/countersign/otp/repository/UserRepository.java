package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.countersign.otp.domain.PinHash;
import org.countersign.otp.domain.Reservation;
import org.countersign.otp.domain.User;

/**
 * Users' PINs and per-user throttle state. Every change is one statement (an upsert where the row
 * may not exist yet), never a read-modify-write, so concurrent requests cannot lose an update.
 */
@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepositoryBase<User, User.Key> {

    /** The user's row, or null when the otp-service knows nothing about the user beyond credentials. */
    public Uni<User> find(String domain, String userId) {
        return findById(new User.Key(domain, userId));
    }

    /** Sets or replaces the PIN (an admin's act). */
    public Uni<Void> setPin(String domain, String userId, PinHash pin, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO users (domain, user_id, pin_algorithm, pin_hash, pin_salt, pin_memory_kib, pin_iterations,"
                                + " pin_parallelism, pin_updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                + " ON CONFLICT (domain, user_id) DO UPDATE SET pin_algorithm = ?3, pin_hash = ?4, pin_salt = ?5,"
                                + " pin_memory_kib = ?6, pin_iterations = ?7, pin_parallelism = ?8, pin_updated_at = ?9")
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, PinHash.ARGON2ID)
                .setParameter(4, pin.hash()).setParameter(5, pin.salt()).setParameter(6, pin.parameters().memoryKib())
                .setParameter(7, pin.parameters().iterations()).setParameter(8, pin.parameters().parallelism())
                .setParameter(9, now).executeUpdate()).replaceWithVoid();
    }

    /**
     * Replaces the PIN only if it is still the one the user proved to know: a change racing an
     * admin's reset must not undo the reset.
     *
     * @return whether the PIN was replaced
     */
    public Uni<Boolean> replacePin(String domain, String userId, PinHash old, PinHash pin, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE users SET pin_algorithm = ?3, pin_hash = ?4, pin_salt = ?5, pin_memory_kib = ?6,"
                                + " pin_iterations = ?7, pin_parallelism = ?8, pin_updated_at = ?9"
                                + " WHERE domain = ?1 AND user_id = ?2 AND pin_hash = ?10")
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, PinHash.ARGON2ID)
                .setParameter(4, pin.hash()).setParameter(5, pin.salt()).setParameter(6, pin.parameters().memoryKib())
                .setParameter(7, pin.parameters().iterations()).setParameter(8, pin.parameters().parallelism())
                .setParameter(9, now).setParameter(10, old.hash()).executeUpdate()).map(rows -> rows == 1);
    }

    /** Removes the PIN, if any; the throttle state stays. */
    public Uni<Void> removePin(String domain, String userId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE users SET pin_algorithm = NULL, pin_hash = NULL, pin_salt = NULL, pin_memory_kib = NULL,"
                                + " pin_iterations = NULL, pin_parallelism = NULL, pin_updated_at = NULL"
                                + " WHERE domain = ?1 AND user_id = ?2")
                .setParameter(1, domain).setParameter(2, userId).executeUpdate()).replaceWithVoid();
    }

    /**
     * Reserves one attempt of the user against the credentials named, before anything is evaluated,
     * in one statement (the function {@code reserve_attempt}, migration V7): the user and every open
     * credential count one more failure at once, or, when every credential or the user is locked or
     * out of budget, nothing changes and the attempt is refused. Run outside a transaction it commits
     * at once, so parallel guesses see each other's reservations; inside one, it holds the rows until
     * the transaction ends. {@code *LockSeconds} are the lock durations in seconds (the last repeats).
     */
    public Uni<Reservation> reserveAttempt(String domain, String userId, Collection<UUID> credentialIds, Instant now,
                                           Duration credentialPeriod, int credentialMax, Long[] credentialLockSeconds,
                                           Duration userPeriod, int userMax, Long[] userLockSeconds) {
        UUID[] ids = credentialIds.toArray(UUID[]::new);
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT credential_id, failures, retry_after FROM reserve_attempt(CAST(?1 AS varchar), CAST(?2 AS varchar),"
                                + " CAST(?3 AS uuid[]), CAST(?4 AS timestamptz), CAST(?5 AS bigint), CAST(?6 AS integer),"
                                + " CAST(?7 AS bigint[]), CAST(?8 AS bigint), CAST(?9 AS integer), CAST(?10 AS bigint[]))",
                        Object[].class)
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, ids).setParameter(4, now)
                .setParameter(5, credentialPeriod.toSeconds()).setParameter(6, credentialMax).setParameter(7, credentialLockSeconds)
                .setParameter(8, userPeriod.toSeconds()).setParameter(9, userMax).setParameter(10, userLockSeconds)
                .getResultList()).map(UserRepository::reservation);
    }

    /** reserve_attempt's rows (credential_id, failures, retry_after): a grant with each count, or a refusal. */
    static Reservation reservation(List<Object[]> rows) {
        Map<UUID, Integer> credentials = new HashMap<>();
        Integer user = null;
        for (Object[] row : rows) {
            if (row[1] == null) {
                return Reservation.refused(row[2] == null ? null : ((Number) row[2]).longValue());
            }
            if (row[0] == null) {
                user = ((Number) row[1]).intValue();
            } else {
                credentials.put(row[0] instanceof UUID id ? id : UUID.fromString(row[0].toString()), ((Number) row[1]).intValue());
            }
        }
        if (user == null || credentials.isEmpty()) {
            throw new IllegalStateException("reserve_attempt granted an attempt without the user's or a credential's count");
        }
        return new Reservation(Reservation.Status.GRANTED, credentials, user, null);
    }

    /**
     * Locks a user whose budget this failure spent, for the duration the user's locks in a row call
     * for ({@code lockSeconds}: the durations in seconds; the last one repeats). Nothing happens when
     * the user is already locked.
     *
     * @return the user's locks in a row, including this one, when this call locked the user
     */
    public Uni<Optional<Integer>> lock(String domain, String userId, Instant now, Instant periodStart, int maxFailures,
                                                 Long[] lockSeconds) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE users SET locked_until = CAST(?3 AS timestamptz) + make_interval(secs => (CAST(?6 AS bigint[]))"
                                + "[LEAST(lock_count + 1, cardinality(CAST(?6 AS bigint[])))]), lock_count = lock_count + 1,"
                                + " fail_count = 0, fail_window_start = NULL WHERE domain = ?1 AND user_id = ?2"
                                + " AND (locked_until IS NULL OR locked_until <= ?3) AND fail_window_start > ?4 AND fail_count >= ?5"
                                + " RETURNING lock_count", Integer.class)
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, now).setParameter(4, periodStart)
                .setParameter(5, maxFailures).setParameter(6, lockSeconds).getResultList())
                .map(rows -> rows.stream().findFirst());
    }

    /** An admin unlock: the user's lock and failures are forgotten. */
    public Uni<Void> unlock(String domain, String userId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE users SET locked_until = NULL, lock_count = 0, fail_count = 0, fail_window_start = NULL"
                                + " WHERE domain = ?1 AND user_id = ?2")
                .setParameter(1, domain).setParameter(2, userId).executeUpdate()).replaceWithVoid();
    }

    /**
     * A deactivated user keeps no PIN and no throttle state; the time is kept so that a credential
     * provisioned before it, whose event arrives late, is stored revoked.
     */
    public Uni<Void> deactivate(String domain, String userId, Instant deactivatedAt) {
        return getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO users (domain, user_id, deactivated_at) VALUES (?1, ?2, ?3)"
                                + " ON CONFLICT (domain, user_id) DO UPDATE SET pin_algorithm = NULL, pin_hash = NULL,"
                                + " pin_salt = NULL, pin_memory_kib = NULL, pin_iterations = NULL, pin_parallelism = NULL,"
                                + " pin_updated_at = NULL, fail_count = 0, fail_window_start = NULL, locked_until = NULL,"
                                + " lock_count = 0, deactivated_at = GREATEST(users.deactivated_at, ?3)")
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, deactivatedAt).executeUpdate())
                .replaceWithVoid();
    }
}
