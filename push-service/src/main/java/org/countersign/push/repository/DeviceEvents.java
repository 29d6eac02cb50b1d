package org.countersign.push.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.countersign.push.domain.DeviceStatus;

/**
 * The devices the activation events describe, written on the consumer's connection in the transaction that
 * records the event (libs/events {@code SqlEventHandler}), with no Hibernate session: one statement each, and a new device's lock before it.
 */
@ApplicationScoped
public class DeviceEvents {

    /** A new device; it arrives revoked when a revocation was read first or its user was deactivated since. */
    public record NewDevice(String instanceId, String domain, String userId, String serialNumber, String platform,
                            String deviceName, boolean biometric, byte[] publicKey, Instant certificateNotAfter,
                            String pushToken, Instant activatedAt, Instant createdAt, String authTypes) {
    }

    private static final String INSERT = "INSERT INTO devices (instance_id, domain, user_id, serial_number, platform,"
            + " device_name, biometric, public_key, certificate_not_after, push_token, status, activated_at, created_at,"
            + " revoked_at, auth_types)"
            + " SELECT $1, $2, $3, $4, $5, $6, $7::boolean, $8::bytea, $9::timestamptz, $10,"
            + " CASE WHEN late.revoked THEN '" + DeviceStatus.REVOKED + "' ELSE '" + DeviceStatus.ACTIVE + "' END,"
            + " $11::timestamptz, $12::timestamptz,"
            + " CASE WHEN late.revoked THEN $12::timestamptz END, $13"
            + " FROM (SELECT EXISTS (SELECT 1 FROM revoked_instances WHERE instance_id = $1)"
            + " OR EXISTS (SELECT 1 FROM push_users WHERE domain = $2 AND user_id = $3 AND deactivated_at >= $11::timestamptz)"
            + " AS revoked) late"
            // A repeated event, or an activation after a migration of the same instance: the first one stands.
            + " ON CONFLICT (instance_id) DO NOTHING";

    private static final String REVOKE = "WITH tombstone AS (INSERT INTO revoked_instances (instance_id, domain, revoked_at)"
            + " VALUES ($2, $1, $3) ON CONFLICT (instance_id) DO NOTHING)"
            + " UPDATE devices SET status = '" + DeviceStatus.REVOKED + "', revoked_at = $3"
            + " WHERE domain = $1 AND instance_id = $2 AND status = '" + DeviceStatus.ACTIVE + "'";

    /** Under the user's lock, so that a deactivation being applied at the same moment is seen or sees it. */
    public Uni<Void> insert(SqlConnection tx, NewDevice device) {
        return tx.preparedQuery(UserLocks.LOCK).execute(Tuple.of(UserLocks.key(device.domain(), device.userId())))
                .chain(() -> tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {device.instanceId(), device.domain(), device.userId(),
                device.serialNumber(), device.platform(), device.deviceName(), device.biometric(), Buffer.buffer(device.publicKey()),
                utc(device.certificateNotAfter()), device.pushToken(), utc(device.activatedAt()), utc(device.createdAt()),
                device.authTypes()}))).replaceWithVoid();
    }

    /**
     * Records the revocation, even of an instance not known yet (its activation, read later, then makes it
     * revoked), and revokes the device if it is known and active: true then.
     */
    public Uni<Boolean> revoke(SqlConnection tx, String domain, String instanceId, Instant revokedAt) {
        return tx.preparedQuery(REVOKE).execute(Tuple.of(domain, instanceId, utc(revokedAt))).map(RowSet::rowCount)
                .map(rows -> rows > 0);
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
