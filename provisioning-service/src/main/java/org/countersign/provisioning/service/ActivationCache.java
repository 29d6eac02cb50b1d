package org.countersign.provisioning.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.jboss.logging.Logger;

/**
 * A copy of open activations in Redis, expiring with their registration, so that device calls that
 * cannot succeed (another domain, over, expired) are answered without a database lock. PostgreSQL
 * stays the truth: a miss, a flushed Redis or a Redis that is down only means asking PostgreSQL,
 * and every change of state is made there under a row lock. The copy holds no secret in clear; the
 * activation password in it is the at-rest sealed value.
 */
@ApplicationScoped
public class ActivationCache {

    private static final Logger LOG = Logger.getLogger(ActivationCache.class);

    /** What is kept of an activation: enough to refuse a call, and the sealed password. */
    public record Entry(String registrationId, String domain, String userId, String serialNumber, String activationType,
                        ActivationStatus status, String sealedActivationPassword, Instant expiresAt) {

        /** The activation as this copy has it: no device code, instance secret or attempts counted. */
        Activation activation() {
            Activation activation = Activation.pending(registrationId, domain, userId, serialNumber, activationType, null, null,
                    sealedActivationPassword, expiresAt, expiresAt);
            activation.status = status;
            return activation;
        }

        static Entry of(Activation activation) {
            return new Entry(activation.registrationId, activation.domain, activation.userId, activation.serialNumber,
                    activation.activationType, activation.status, activation.sealedActivationPassword, activation.expiresAt);
        }
    }

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ActivationCache(ReactiveRedisDataSource redis, ObjectMapper mapper, Clock clock) {
        this.redis = redis;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The cached copy, or null when there is none or Redis cannot be reached. */
    public Uni<Entry> get(String registrationId) {
        return redis.value(String.class).get(key(registrationId))
                .map(json -> json == null ? null : read(json))
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("Redis unavailable (%s); reading activations from PostgreSQL", e.getClass().getSimpleName());
                    return null;
                });
    }

    /** Stores the activation as it now stands; a finished one is removed instead. Never fails the caller. */
    public Uni<Void> put(Activation activation) {
        Duration ttl = Duration.between(clock.instant(), activation.expiresAt);
        Uni<?> write = activation.status.isFinal() || ttl.isNegative() || ttl.isZero()
                ? redis.key().del(key(activation.registrationId))
                : redis.value(String.class).set(key(activation.registrationId), write(Entry.of(activation)),
                        new SetArgs().px(ttl));
        return write.replaceWithVoid().onFailure().recoverWithUni(e -> {
            LOG.debugf("Redis unavailable (%s); the activation cache catches up on the next read", e.getClass().getSimpleName());
            return Uni.createFrom().voidItem();
        });
    }

    /** Redis keys are cs:&lt;service&gt;:&lt;purpose&gt;:&lt;id&gt; and always expire. */
    static String key(String registrationId) {
        return "cs:provisioning:activation:" + registrationId;
    }

    private String write(Entry entry) {
        try {
            return mapper.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An activation entry always serialises", e);
        }
    }

    private Entry read(String json) {
        try {
            return mapper.readValue(json, Entry.class);
        } catch (JsonProcessingException e) {
            // A copy written by an older version: ignore it, PostgreSQL answers.
            LOG.debugf("Unreadable activation cache entry ignored: %s", e.getOriginalMessage());
            return null;
        }
    }
}
