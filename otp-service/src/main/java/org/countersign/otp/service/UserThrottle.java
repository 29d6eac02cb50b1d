package org.countersign.otp.service;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.User;
import org.countersign.otp.repository.UserRepository;
import org.jboss.logging.Logger;

/**
 * Counts failed checks per user, whatever credential they named, and locks a user who fails too
 * often: with several tokens, the per-credential limit alone would multiply an attacker's guesses.
 * As {@link Throttle} does for credentials, counters live in Redis with a TTL and fall back to
 * PostgreSQL when Redis is away; the lock itself is always in PostgreSQL.
 *
 * <p>A success does not clear the count: it is a rate of failures, and the real user's login must
 * not forgive an attacker's guesses made in the same period.
 */
@ApplicationScoped
public class UserThrottle {

    private static final Logger LOG = Logger.getLogger(UserThrottle.class);

    private final ReactiveRedisDataSource redis;
    private final UserRepository users;
    private final OtpConfig.Throttle.User config;
    private final Clock clock;

    public UserThrottle(ReactiveRedisDataSource redis, UserRepository users, OtpConfig config, Clock clock) {
        this.redis = redis;
        this.users = users;
        this.config = config.throttle().user();
        this.clock = clock;
    }

    /** Records one failure of the user; locks the user on reaching the limit of the period. */
    public Uni<Void> failed(String domain, String userId) {
        return count(domain, userId).chain(failures -> failures >= config.maxFailures()
                ? lock(domain, userId) : Uni.createFrom().voidItem());
    }

    /** Seconds until the user's lock ends (at least 1), or null when the user is not locked. */
    public static Long retryAfter(User user, Instant now) {
        if (user == null || user.lockedUntil == null || !user.lockedUntil.isAfter(now)) {
            return null;
        }
        return Math.max(1, Duration.between(now, user.lockedUntil).toSeconds());
    }

    /** An admin's unlock: the lock and the count are gone, in both stores. */
    public Uni<Void> unlock(String domain, String userId) {
        return users.unlock(domain, userId).call(() -> forget(domain, userId));
    }

    private Uni<Long> count(String domain, String userId) {
        String key = key(domain, userId);
        return redis.value(Long.class).incr(key)
                .call(n -> n == 1 ? redis.key().expire(key, config.period()) : Uni.createFrom().voidItem())
                .onFailure().recoverWithUni(e -> {
                    LOG.debugf("Redis unavailable (%s); counting the user's failure in PostgreSQL", e.getClass().getSimpleName());
                    Instant now = clock.instant();
                    return users.countFailure(domain, userId, now, now.minus(config.period()));
                });
    }

    private Uni<Void> lock(String domain, String userId) {
        Instant now = clock.instant();
        return users.lock(domain, userId, now, now.plus(config.lockDuration()))
                .invoke(locked -> {
                    if (locked) {
                        LOG.infof("User %s@%s locked for %s after %d failures", userId, domain, config.lockDuration(),
                                config.maxFailures());
                    }
                })
                // The next period starts afresh once the lock is over.
                .call(() -> forget(domain, userId)).replaceWithVoid();
    }

    private Uni<Void> forget(String domain, String userId) {
        return redis.key().del(key(domain, userId)).replaceWithVoid()
                .onFailure().recoverWithUni(e -> Uni.createFrom().voidItem());
    }

    /** Redis keys are cs:&lt;service&gt;:&lt;purpose&gt;:&lt;id&gt; and always expire; a domain holds no ':'. */
    static String key(String domain, String userId) {
        return "cs:otp:user-failures:" + domain + ":" + userId;
    }
}
