package org.countersign.deviceauth.internal;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.countersign.deviceauth.DeviceAuthConfig;
import org.jboss.logging.Logger;

/**
 * Which device tokens were used: each jti is accepted once per instance until its replay window ends.
 * PostgreSQL is the truth (device_token_uses, in the service's schema); Redis answers a replay before
 * PostgreSQL is asked. A flushed or unreachable Redis costs speed, never a replay: every first use is
 * recorded in PostgreSQL, and a second insert of the same jti finds it there.
 */
@ApplicationScoped
public class TokenUses {

    private static final Logger LOG = Logger.getLogger(TokenUses.class);
    private static final String INSERT = "INSERT INTO device_token_uses (instance_id, jti, expires_at) VALUES ($1, $2, $3)"
            + " ON CONFLICT DO NOTHING";
    private static final String CLEAN = "DELETE FROM device_token_uses WHERE expires_at < $1";

    private final ReactiveRedisDataSource redis;
    private final Pool pool;
    private final DeviceAuthConfig config;
    private final Vertx vertx;
    private final Clock clock;
    private long cleanupTimer = -1;

    public TokenUses(ReactiveRedisDataSource redis, Pool pool, DeviceAuthConfig config, Vertx vertx, Clock clock) {
        this.redis = redis;
        this.pool = pool;
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
    }

    /**
     * Records the use of a jti.
     *
     * @param until the end of its replay window, Unix seconds
     * @return true for its first use, false for a replay
     */
    public Uni<Boolean> firstUse(String instanceId, String jti, long until) {
        Instant end = Instant.ofEpochSecond(until);
        long ttl = Math.max(1, end.toEpochMilli() - clock.millis());
        return redis.execute("SET", key(instanceId, jti), "1", "NX", "PX", Long.toString(ttl))
                .map(response -> response != null)
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("Redis unavailable (%s); device token uses are checked in PostgreSQL only", e.getClass().getSimpleName());
                    return true;
                })
                .chain(newInRedis -> !newInRedis ? Uni.createFrom().item(false)
                        : pool.preparedQuery(INSERT).execute(Tuple.of(instanceId, jti, OffsetDateTime.ofInstant(end, ZoneOffset.UTC)))
                                .map(rows -> rows.rowCount() == 1));
    }

    /** Redis keys are cs:&lt;service&gt;:&lt;purpose&gt;:&lt;id&gt; and always expire. */
    String key(String instanceId, String jti) {
        return "cs:" + config.service() + ":device-token:" + instanceId + ":" + jti;
    }

    void start(@Observes StartupEvent event) {
        cleanupTimer = vertx.setPeriodic(config.cleanupInterval().toMillis(), id -> pool.preparedQuery(CLEAN)
                .execute(Tuple.of(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)))
                .subscribe().with(rows -> LOG.debugf("%d used device tokens past their window deleted", rows.rowCount()),
                        e -> LOG.debugf("Deleting used device tokens failed (%s); the next round retries", e.getClass().getSimpleName())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (cleanupTimer >= 0) {
            vertx.cancelTimer(cleanupTimer);
        }
    }
}
