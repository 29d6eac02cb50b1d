package org.countersign.otp.service;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.repository.CredentialRepository;
import org.jboss.logging.Logger;

/**
 * Counts failed checks per credential and locks a credential that fails too often. Counters live
 * in Redis with a TTL; when Redis is away they are counted in PostgreSQL instead, so that losing
 * Redis never lifts the limit. Every change is an atomic UPDATE, never a read-modify-write.
 */
@ApplicationScoped
public class Throttle {

    private static final Logger LOG = Logger.getLogger(Throttle.class);

    private final ReactiveRedisDataSource redis;
    private final CredentialRepository credentials;
    private final OtpConfig config;
    private final Clock clock;

    public Throttle(ReactiveRedisDataSource redis, CredentialRepository credentials, OtpConfig config, Clock clock) {
        this.redis = redis;
        this.credentials = credentials;
        this.config = config;
        this.clock = clock;
    }

    /** Records one failure; locks the credential when it reaches the limit of the period. */
    public Uni<Void> failed(UUID credentialId) {
        return count(credentialId).chain(failures -> failures >= config.throttle().maxFailures()
                ? lock(credentialId) : Uni.createFrom().voidItem());
    }

    /** A success forgets the failures. */
    public Uni<Void> succeeded(UUID credentialId) {
        return redis.key().del(key(credentialId)).replaceWithVoid()
                .onFailure().recoverWithUni(e -> Uni.createFrom().voidItem());
    }

    private Uni<Long> count(UUID credentialId) {
        String key = key(credentialId);
        return redis.value(Long.class).incr(key)
                .call(n -> n == 1 ? redis.key().expire(key, config.throttle().period()) : Uni.createFrom().voidItem())
                .onFailure().recoverWithUni(e -> {
                    LOG.debugf("Redis unavailable (%s); counting the failure in PostgreSQL", e.getClass().getSimpleName());
                    Instant now = clock.instant();
                    return credentials.countFailure(credentialId, now, now.minus(config.throttle().period()));
                });
    }

    private Uni<Void> lock(UUID credentialId) {
        Instant now = clock.instant();
        return credentials.lock(credentialId, now, now.plus(config.throttle().lockDuration()), config.throttle().maxLocks())
                .call(() -> redis.key().del(key(credentialId)).replaceWithVoid()
                        .onFailure().recoverWithUni(e -> Uni.createFrom().voidItem()));
    }

    /** Redis keys are cs:&lt;service&gt;:&lt;purpose&gt;:&lt;id&gt; and always expire. */
    static String key(UUID credentialId) {
        return "cs:otp:failures:" + credentialId;
    }
}
