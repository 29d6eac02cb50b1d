package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.countersign.otp.domain.PinHash;
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

    /** The PostgreSQL fallback of the per-user failure counter: one atomic increment within the period. */
    public Uni<Long> countFailure(String domain, String userId, Instant now, Instant periodStart) {
        return getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO users (domain, user_id, fail_count, fail_window_start) VALUES (?1, ?2, 1, ?4)"
                                + " ON CONFLICT (domain, user_id) DO UPDATE SET"
                                + " fail_count = CASE WHEN users.fail_window_start > ?3 THEN users.fail_count + 1 ELSE 1 END,"
                                + " fail_window_start = CASE WHEN users.fail_window_start > ?3 THEN users.fail_window_start ELSE ?4 END"
                                + " RETURNING fail_count", Integer.class)
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, periodStart).setParameter(4, now)
                .getSingleResult()).map(Integer::longValue);
    }

    /**
     * Locks the user until the given time, unless a lock is already running.
     *
     * @return whether this call locked the user
     */
    public Uni<Boolean> lock(String domain, String userId, Instant now, Instant until) {
        return getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO users (domain, user_id, locked_until) VALUES (?1, ?2, ?3)"
                                + " ON CONFLICT (domain, user_id) DO UPDATE SET locked_until = ?3, fail_count = 0"
                                + " WHERE users.locked_until IS NULL OR users.locked_until <= ?4")
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, until).setParameter(4, now)
                .executeUpdate()).map(rows -> rows == 1);
    }

    /** An admin unlock: the user's lock and failures are forgotten. */
    public Uni<Void> unlock(String domain, String userId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE users SET locked_until = NULL, fail_count = 0, fail_window_start = NULL"
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
                                + " deactivated_at = GREATEST(users.deactivated_at, ?3)")
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, deactivatedAt).executeUpdate())
                .replaceWithVoid();
    }
}
