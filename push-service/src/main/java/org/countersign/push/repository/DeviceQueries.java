package org.countersign.push.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.countersign.push.domain.Platform;

/**
 * The device queries of the hot paths, on the reactive pool directly (no Hibernate session): the key
 * behind every device token, the push token of a wake-up, and the coalesced "last sync" writes. They
 * run from contexts Hibernate Reactive does not serve (Redis messages, timers).
 */
@ApplicationScoped
public class DeviceQueries {

    /** What a device token is checked against. */
    public record KeyRow(String instanceId, String domain, String userId, byte[] publicKey, boolean active,
                         Instant certificateNotAfter) {
    }

    /** What a wake-up needs: where to send it. */
    public record WakeTarget(String instanceId, Platform platform, String pushToken) {
    }

    private static final String KEY = "SELECT instance_id, domain, user_id, public_key, status, certificate_not_after"
            + " FROM devices WHERE instance_id = $1";
    private static final String WAKE = "SELECT instance_id, platform, push_token FROM devices WHERE instance_id = $1"
            + " AND status = 'ACTIVE' AND push_token IS NOT NULL AND push_token_disabled_at IS NULL";
    private static final String DISABLE = "UPDATE devices SET push_token_disabled_at = $3 WHERE instance_id = $1"
            + " AND push_token = $2 AND push_token_disabled_at IS NULL";
    private static final String LAST_SYNC = "UPDATE devices d SET last_sync_at = c.at FROM unnest($1::varchar[], $2::timestamptz[])"
            + " AS c(instance_id, at) WHERE d.instance_id = c.instance_id AND (d.last_sync_at IS NULL OR d.last_sync_at < c.at)";

    private final Pool pool;

    public DeviceQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<KeyRow> findKey(String instanceId) {
        return pool.preparedQuery(KEY).execute(Tuple.of(instanceId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new KeyRow(row.getString("instance_id"), row.getString("domain"), row.getString("user_id"),
                    row.getBuffer("public_key").getBytes(), "ACTIVE".equals(row.getString("status")),
                    row.getOffsetDateTime("certificate_not_after").toInstant());
        });
    }

    /** The device's provider and token, or null when it cannot be woken (revoked, no token, token disabled). */
    public Uni<WakeTarget> findWakeTarget(String instanceId) {
        return pool.preparedQuery(WAKE).execute(Tuple.of(instanceId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new WakeTarget(row.getString("instance_id"), Platform.valueOf(row.getString("platform")),
                    row.getString("push_token"));
        });
    }

    /** FCM or APNs said the token is no longer registered: no more wake-ups until the device sends a new one. */
    public Uni<Integer> disableToken(String instanceId, String pushToken, Instant at) {
        return pool.preparedQuery(DISABLE).execute(Tuple.of(instanceId, pushToken, utc(at))).map(RowSet::rowCount);
    }

    /** Writes many devices' last contacts in one statement; a time never moves backwards. */
    public Uni<Integer> recordLastSync(List<String> instanceIds, List<Instant> times) {
        OffsetDateTime[] at = times.stream().map(DeviceQueries::utc).toArray(OffsetDateTime[]::new);
        return pool.preparedQuery(LAST_SYNC).execute(Tuple.of(instanceIds.toArray(String[]::new), at)).map(RowSet::rowCount);
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
