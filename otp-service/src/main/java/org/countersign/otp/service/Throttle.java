package org.countersign.otp.service;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.CredentialLocked;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.Credential;
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
    private final Outbox outbox;
    private final OtpConfig config;
    private final Clock clock;

    public Throttle(ReactiveRedisDataSource redis, CredentialRepository credentials, Outbox outbox, OtpConfig config,
                    Clock clock) {
        this.redis = redis;
        this.credentials = credentials;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    /** Records one failure of a user's check; locks the credential when it reaches the limit of the period. */
    public Uni<Void> failed(Credential credential, String userId) {
        return count(credential.id).chain(failures -> failures >= config.throttle().maxFailures()
                ? lock(credential, userId) : Uni.createFrom().voidItem());
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

    private Uni<Void> lock(Credential credential, String userId) {
        Instant now = clock.instant();
        Instant until = now.plus(config.throttle().lockDuration());
        return credentials.lock(credential.id, now, until, config.throttle().maxLocks())
                .call(status -> status.isEmpty() ? Uni.createFrom().voidItem() : outbox.add(new EventDraft(
                        CredentialLocked.TYPE, EventKey.of(userId, credential.domain), "credential/" + credential.id,
                        new CredentialLocked(credential.id.toString(), credential.domain, credential.serialNumber,
                                "LOCKED".equals(status.get()) ? null : until, now))))
                .call(() -> redis.key().del(key(credential.id)).replaceWithVoid()
                        .onFailure().recoverWithUni(e -> Uni.createFrom().voidItem()))
                .replaceWithVoid();
    }

    /** Redis keys are cs:&lt;service&gt;:&lt;purpose&gt;:&lt;id&gt; and always expire. */
    static String key(UUID credentialId) {
        return "cs:otp:failures:" + credentialId;
    }
}
