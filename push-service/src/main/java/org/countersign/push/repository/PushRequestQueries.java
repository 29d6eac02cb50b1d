package org.countersign.push.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.countersign.events.Outbox;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.DeviceStatus;
import org.countersign.push.domain.Platform;
import org.countersign.push.domain.PushRequest;
import org.countersign.push.domain.RequestStatus;

/**
 * The push requests' hot paths on the reactive client directly (no Hibernate session, no entity
 * management; the entities are only filled as plain objects): a creation in two statements inside the
 * caller's transaction, an answer and an expiry each in one statement with its event, and the reads of a
 * status, of an answer's request and device, and of what a device is waiting for, one statement each.
 */
@ApplicationScoped
public class PushRequestQueries {

    /**
     * What a creation's rules need, read in the statement that takes the user's lock: the user's settings
     * (null: no admin set any), their active devices, oldest first, and their pending requests already past
     * their time (to be expired with the creation).
     */
    public record UserFacts(Boolean enabled, boolean requireBiometric, List<Device> devices, List<PushRequest> overdue) {
    }

    /**
     * What the creating statement found under the user's lock, and did: the open requests (pending and in
     * time) and when the first of them ends, the requests created within the window and when the oldest of
     * them was; the ids this statement expired. Nothing was written unless both limits allowed it.
     */
    public record Opened(long open, Instant firstExpiry, long recent, Instant oldestRecent,
                         List<String> expired) {
    }

    /** A request beside the device that answers it (null when there is no such device). */
    public record Answered(PushRequest request, Device device) {
    }

    /** A device and the requests it was sent that are pending and in time, oldest first. */
    public record DevicePending(Device device, List<PushRequest> open) {
    }

    private static final String REQUEST_COLUMNS = "r.id, r.domain, r.user_id, r.message, r.fields, r.data_hash, r.challenge,"
            + " r.number_options, r.display_number, r.require_biometric, r.status, r.deny_reason, r.instance_id, r.created_at,"
            + " r.expires_at, r.decided_at";

    private static final String DEVICE_COLUMNS = "d.instance_id AS d_instance_id, d.domain AS d_domain, d.user_id AS d_user_id,"
            + " d.platform AS d_platform, d.biometric AS d_biometric, d.public_key AS d_public_key, d.push_token AS d_push_token,"
            + " d.push_token_disabled_at AS d_push_token_disabled_at, d.status AS d_status, d.created_at AS d_created_at,"
            + " d.auth_types AS d_auth_types, d.config_version AS d_config_version, d.config_acked_version AS d_config_acked_version,"
            + " d.certificate_not_after AS d_certificate_not_after";

    /**
     * What the rules of a creation need: the user's settings, active devices and overdue requests. Read after
     * the user's {@link UserLocks lock}, in a statement of its own, so that a deactivation being applied under
     * the same lock is seen: the snapshot of the statement that takes a lock predates it.
     */
    private static final String READ_USER = "SELECT u.enabled, u.require_biometric, " + DEVICE_COLUMNS + ", o.ids, o.data_hashes, o.display_numbers, o.created, o.expires"
            + " FROM (SELECT 1) AS one"
            + " LEFT JOIN push_users u ON u.domain = $1 AND u.user_id = $2"
            + " LEFT JOIN devices d ON d.domain = $1 AND d.user_id = $2 AND d.status = 'ACTIVE'"
            + " CROSS JOIN (SELECT array_agg(id ORDER BY created_at) AS ids, array_agg(data_hash ORDER BY created_at) AS data_hashes,"
            + " array_agg(display_number ORDER BY created_at) AS display_numbers, array_agg(created_at ORDER BY created_at) AS created,"
            + " array_agg(expires_at ORDER BY created_at) AS expires FROM push_requests"
            + " WHERE domain = $1 AND user_id = $2 AND status = 'PENDING' AND expires_at <= $3) AS o"
            + " ORDER BY d.created_at, d.instance_id";

    /**
     * Counts the user's open and recent requests (under the user's lock, taken before {@link #READ_USER}), and only
     * while both are below their limits expires the overdue ones still pending, inserts the new request and
     * writes the events of the requests this statement changed (each event's subject names its request).
     */
    private static final String OPEN = "WITH facts AS (SELECT"
            + " count(*) FILTER (WHERE status = 'PENDING' AND expires_at > $4) AS open,"
            + " min(expires_at) FILTER (WHERE status = 'PENDING' AND expires_at > $4) AS first_expiry,"
            + " count(*) FILTER (WHERE created_at > $5) AS recent,"
            + " min(created_at) FILTER (WHERE created_at > $5) AS oldest"
            + " FROM push_requests WHERE domain = $2 AND user_id = $3 AND (status = 'PENDING' OR created_at > $5)),"
            + " allowed AS (SELECT open < CAST($6 AS integer) AND recent < CAST($7 AS integer) AS ok FROM facts),"
            + " expired AS (UPDATE push_requests SET status = 'EXPIRED', message = NULL, fields = NULL"
            + " WHERE id = ANY($8) AND status = 'PENDING' AND expires_at <= $4 AND (SELECT ok FROM allowed) RETURNING id),"
            + " inserted AS (INSERT INTO push_requests (id, domain, user_id, message, fields, data_hash, challenge, number_options,"
            + " display_number, require_biometric, status, created_at, expires_at)"
            + " SELECT $1, $2, $3, $9, $10, $11, $12, $13, $14, $15, 'PENDING', $16, $17 WHERE (SELECT ok FROM allowed) RETURNING id),"
            + " event AS (" + Outbox.insertRows(18, "e.subject IN (SELECT 'push-request/' || id FROM expired"
            + " UNION ALL SELECT 'push-request/' || id FROM inserted)") + ")"
            + " SELECT open, first_expiry, recent, oldest,"
            + " ARRAY(SELECT id FROM expired) AS expired FROM facts";

    private static final String FIND = "SELECT " + REQUEST_COLUMNS + " FROM push_requests r WHERE r.domain = $1 AND r.id = $2";

    /** The request in the device's domain, beside the answering device (in whatever domain it is; the caller compares). */
    private static final String FIND_WITH_DEVICE = "SELECT " + REQUEST_COLUMNS + ", " + DEVICE_COLUMNS
            + " FROM push_requests r LEFT JOIN devices d ON d.instance_id = $3 WHERE r.domain = $1 AND r.id = $2";

    /**
     * An answer recorded only while the request is pending and in time and the answering device still active
     * with a certificate in force (a revocation applied while the signature was checked off the event loop
     * wins; a channel opened before the certificate expired cannot outlive it), with its event.
     */
    private static final String DECIDE = "WITH decided AS (UPDATE push_requests SET status = $2, deny_reason = $3, instance_id = $4,"
            + " decided_at = $5, message = NULL, fields = NULL WHERE id = $1 AND status = 'PENDING' AND expires_at > $5"
            + " AND EXISTS (SELECT 1 FROM devices d WHERE d.instance_id = $4 AND d.status = 'ACTIVE'"
            + " AND d.certificate_not_after > $5) RETURNING id),"
            + " event AS (" + Outbox.insertRows(6, "EXISTS (SELECT 1 FROM decided)") + ")"
            + " SELECT count(*) FROM decided";

    /** An expiry recorded only while the request is pending and due, with its event. */
    private static final String EXPIRE = "WITH expired AS (UPDATE push_requests SET status = 'EXPIRED', message = NULL,"
            + " fields = NULL WHERE id = $1 AND status = 'PENDING' AND expires_at <= $2 RETURNING id),"
            + " event AS (" + Outbox.insertRows(3, "EXISTS (SELECT 1 FROM expired)") + ")"
            + " SELECT count(*) FROM expired";

    /**
     * The device, and the requests it was sent that are pending and in time, oldest first: of its user,
     * created once it was known, not requiring biometrics it lacks, none once its certificate expired (whether
     * it accepts push at all is the caller's to tell, from the device).
     */
    private static final String DEVICE_PENDING = "SELECT " + DEVICE_COLUMNS + ", " + REQUEST_COLUMNS + " FROM devices d"
            + " LEFT JOIN push_requests r ON r.domain = d.domain AND r.user_id = d.user_id AND r.status = 'PENDING'"
            + " AND r.expires_at > $2 AND r.created_at >= d.created_at AND (NOT r.require_biometric OR d.biometric)"
            + " AND d.certificate_not_after > $2"
            + " WHERE d.instance_id = $1 ORDER BY r.created_at";

    private final Pool pool;

    public PushRequestQueries(Pool pool) {
        this.pool = pool;
    }

    /** Locks the user until the transaction ends and reads what the rules of a creation need. */
    public Uni<UserFacts> lockAndRead(SqlConnection connection, String domain, String userId, Instant now) {
        return connection.preparedQuery(UserLocks.LOCK).execute(Tuple.of(UserLocks.key(domain, userId)))
                .chain(() -> connection.preparedQuery(READ_USER).execute(Tuple.of(domain, userId, utc(now))))
                .map(rows -> {
                    Row first = rows.iterator().next();
                    List<Device> devices = new ArrayList<>();
                    for (Row row : rows) {
                        if (row.getString("d_instance_id") != null) {
                            devices.add(device(row));
                        }
                    }
                    return new UserFacts(first.getBoolean("enabled"), Boolean.TRUE.equals(first.getBoolean("require_biometric")),
                            devices, overdue(first, domain, userId));
                });
    }

    private static List<PushRequest> overdue(Row row, String domain, String userId) {
        String[] ids = row.getArrayOfStrings("ids");
        if (ids == null) {
            return List.of();
        }
        String[] hashes = row.getArrayOfStrings("data_hashes");
        Integer[] numbers = row.getArrayOfIntegers("display_numbers");
        OffsetDateTime[] created = row.getArrayOfOffsetDateTimes("created");
        OffsetDateTime[] expires = row.getArrayOfOffsetDateTimes("expires");
        List<PushRequest> list = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            PushRequest request = new PushRequest();
            request.id = ids[i];
            request.domain = domain;
            request.userId = userId;
            request.dataHash = hashes[i];
            request.displayNumber = numbers[i];
            request.status = RequestStatus.PENDING;
            request.createdAt = created[i].toInstant();
            request.expiresAt = expires[i].toInstant();
            list.add(request);
        }
        return list;
    }

    /**
     * Opens the request if the user's limits allow it, expiring {@code overdue} with it.
     *
     * @param events the overdue requests' PushExpired and then the request's PushRequested: each is written
     *               only if its request was changed by this statement
     */
    public Uni<Opened> open(SqlConnection connection, PushRequest request, Instant windowStart, int maxOpen, int maxRecent,
                            List<String> overdue, List<Outbox.Row> events) {
        Tuple parameters = Tuple.tuple().addString(request.id).addString(request.domain).addString(request.userId)
                .addOffsetDateTime(utc(request.createdAt)).addOffsetDateTime(utc(windowStart)).addInteger(maxOpen)
                .addInteger(maxRecent).addArrayOfString(overdue.toArray(String[]::new)).addString(request.message)
                .addString(request.fields).addString(request.dataHash).addString(request.challenge).addString(request.numberOptions)
                .addInteger(request.displayNumber).addBoolean(request.requireBiometric).addOffsetDateTime(utc(request.createdAt))
                .addOffsetDateTime(utc(request.expiresAt));
        return connection.preparedQuery(OPEN).execute(Outbox.bindRows(parameters, events)).map(rows -> {
            Row row = rows.iterator().next();
            return new Opened(row.getLong("open"), instant(row, "first_expiry"), row.getLong("recent"),
                    instant(row, "oldest"), Arrays.asList(row.getArrayOfStrings("expired")));
        });
    }

    /** The request in the domain, or null (another domain's too). */
    public Uni<PushRequest> findIn(String domain, String id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(domain, id))
                .map(rows -> rows.size() == 0 ? null : request(rows.iterator().next()));
    }

    /** The request in the domain with the answering device, read together; null without such a request. */
    public Uni<Answered> findAnswered(String domain, String id, String instanceId) {
        return pool.preparedQuery(FIND_WITH_DEVICE).execute(Tuple.of(domain, id, instanceId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new Answered(request(row), row.getString("d_instance_id") == null ? null : device(row));
        });
    }

    /** Records an answer with its event if the request is still pending and in time; whether this answer decided it. */
    public Uni<Boolean> decide(String id, RequestStatus status, String denyReason, String instanceId, Instant now,
                               Outbox.Row event) {
        Tuple parameters = Tuple.tuple().addString(id).addString(status.name()).addString(denyReason).addString(instanceId)
                .addOffsetDateTime(utc(now));
        return pool.preparedQuery(DECIDE).execute(Outbox.bindRows(parameters, List.of(event))).map(PushRequestQueries::changedOne);
    }

    /** Records an expiry with its event if the request is still pending and due; whether this call expired it. */
    public Uni<Boolean> expire(String id, Instant now, Outbox.Row event) {
        Tuple parameters = Tuple.tuple().addString(id).addOffsetDateTime(utc(now));
        return pool.preparedQuery(EXPIRE).execute(Outbox.bindRows(parameters, List.of(event))).map(PushRequestQueries::changedOne);
    }

    /** The device with the requests it was sent that are pending and in time; null when the device is unknown. */
    public Uni<DevicePending> findDevicePending(String instanceId, Instant now) {
        return pool.preparedQuery(DEVICE_PENDING).execute(Tuple.of(instanceId, utc(now))).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            List<PushRequest> open = new ArrayList<>();
            for (Row row : rows) {
                if (row.getString("id") != null) {
                    open.add(request(row));
                }
            }
            return new DevicePending(device(rows.iterator().next()), open);
        });
    }

    private static boolean changedOne(RowSet<Row> rows) {
        return rows.iterator().next().getLong(0) == 1;
    }

    private static PushRequest request(Row row) {
        PushRequest request = new PushRequest();
        request.id = row.getString("id");
        request.domain = row.getString("domain");
        request.userId = row.getString("user_id");
        request.message = row.getString("message");
        request.fields = row.getString("fields");
        request.dataHash = row.getString("data_hash");
        request.challenge = row.getString("challenge");
        request.numberOptions = row.getString("number_options");
        request.displayNumber = row.getInteger("display_number");
        request.requireBiometric = row.getBoolean("require_biometric");
        request.status = RequestStatus.valueOf(row.getString("status"));
        request.denyReason = row.getString("deny_reason");
        request.instanceId = row.getString("instance_id");
        request.createdAt = instant(row, "created_at");
        request.expiresAt = instant(row, "expires_at");
        request.decidedAt = instant(row, "decided_at");
        return request;
    }

    /** The device columns a hot path reads (not its name, serial number, activation and revocation times or last sync). */
    private static Device device(Row row) {
        Device device = new Device();
        device.instanceId = row.getString("d_instance_id");
        device.domain = row.getString("d_domain");
        device.userId = row.getString("d_user_id");
        device.platform = Platform.valueOf(row.getString("d_platform"));
        device.biometric = row.getBoolean("d_biometric");
        device.publicKey = row.getBuffer("d_public_key").getBytes();
        device.pushToken = row.getString("d_push_token");
        device.pushTokenDisabledAt = instant(row, "d_push_token_disabled_at");
        device.status = DeviceStatus.valueOf(row.getString("d_status"));
        device.createdAt = instant(row, "d_created_at");
        device.authTypes = row.getString("d_auth_types");
        device.configVersion = row.getInteger("d_config_version");
        device.configAckedVersion = row.getInteger("d_config_acked_version");
        device.certificateNotAfter = instant(row, "d_certificate_not_after");
        return device;
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
