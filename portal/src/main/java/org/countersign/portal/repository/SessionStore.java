package org.countersign.portal.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.countersign.portal.domain.PortalSession;

/**
 * Sessions in Redis under {@code cs:portal:session:<id>}, each with a TTL (the idle timeout, renewed on use).
 * The id is derived from the cookie by a one-way function, so that whoever reads Redis cannot present a
 * session; the value holds no secret in clear (PortalSession).
 */
@ApplicationScoped
public class SessionStore {

    private static final String PREFIX = "cs:portal:session:";

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;

    public SessionStore(ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.redis = redis;
        this.mapper = mapper;
    }

    /** The session, or null when there is none (never was, expired, signed out). */
    public Uni<PortalSession> find(String id) {
        return redis.value(String.class).get(PREFIX + id).map(json -> json == null ? null : read(json));
    }

    public Uni<Void> save(String id, PortalSession session, Duration ttl) {
        return redis.value(String.class).set(PREFIX + id, write(session), new SetArgs().px(ttl.toMillis()));
    }

    /** Starts the idle timeout again, without writing the value (a write here could undo a concurrent change). */
    public Uni<Void> touch(String id, Duration ttl) {
        return redis.key(String.class).pexpire(PREFIX + id, ttl).replaceWithVoid();
    }

    public Uni<Void> delete(String id) {
        return redis.key(String.class).del(PREFIX + id).replaceWithVoid();
    }

    private PortalSession read(String json) {
        try {
            return mapper.readValue(json, PortalSession.class);
        } catch (JsonProcessingException e) {
            // Written by another version of the portal: treated as no session, so the user signs in again.
            return null;
        }
    }

    private String write(PortalSession session) {
        try {
            return mapper.writeValueAsString(session);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
