package org.countersign.otp.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.countersign.events.Outbox;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialKind;
import org.countersign.otp.domain.CredentialStatus;
import org.countersign.otp.domain.Reservation;
import org.countersign.otp.domain.User;

/**
 * The statements of an OTP check, on the reactive client directly: each is one prepared statement
 * (the client caches it per connection, and PostgreSQL keeps its plan), one round trip, and where it
 * writes, its own implicit transaction holding the state change and its outbox row together. No
 * ORM session, no entity mapping: the verification hot path reads one row set and writes once.
 */
@ApplicationScoped
public class CheckRepository {

    /** What a check reads: the user's row (null when there is none) and the usable credentials, oldest first. */
    public record Subject(User user, List<Credential> credentials) {
    }

    private static final String INSERT_EVENT = "INSERT INTO outbox_events (" + Outbox.COLUMNS + ")";

    /** What a check reads of each credential and of the user. */
    private static final String SUBJECT_COLUMNS = "c.id, c.domain, c.user_id, c.serial_number, c.instance_id, c.otp_policy,"
            + " c.kind, c.sealed_secret, c.last_accepted, c.drift, c.status, c.locked_until, c.fail_count, c.fail_window_start,"
            + " c.lock_count, c.created_at, u.user_id AS u_user_id, u.pin_algorithm, u.pin_hash, u.pin_salt, u.pin_memory_kib,"
            + " u.pin_iterations, u.pin_parallelism, u.fail_count AS u_fail_count, u.fail_window_start AS u_fail_window_start,"
            + " u.locked_until AS u_locked_until, u.lock_count AS u_lock_count";

    /**
     * One user's (a batch of one; {@link #SUBJECTS} for more): the user's usable credentials (its own, then the imported tokens whose licence it holds; the two
     * branches of CredentialRepository.listUsable, each on its index) beside the user's row, in one
     * statement.
     */
    private static final String SUBJECT = "SELECT " + SUBJECT_COLUMNS
            + " FROM (SELECT * FROM credentials WHERE domain = $1 AND user_id = $2 AND status IN ('ACTIVE', 'LOCKED')"
            + " UNION ALL SELECT c.* FROM licence_owners o JOIN credentials c ON c.domain = o.domain"
            + " AND c.serial_number = o.serial_number AND c.source = 'pskc' WHERE o.domain = $1 AND o.user_id = $2"
            + " AND c.status IN ('ACTIVE', 'LOCKED') AND c.user_id IS DISTINCT FROM $2) c"
            + " LEFT JOIN users u ON u.domain = $1 AND u.user_id = $2 ORDER BY c.created_at";

    /**
     * For each (domain, user) asked, numbered n from 1: the user's usable credentials (its own, then
     * the imported tokens whose licence it holds; the two branches of CredentialRepository.listUsable,
     * each on its index) beside the user's row, in one statement for the whole batch.
     */
    private static final String SUBJECTS = "SELECT q.n, " + SUBJECT_COLUMNS
            + " FROM unnest(CAST($1 AS varchar[]), CAST($2 AS varchar[])) WITH ORDINALITY AS q(domain, user_id, n)"
            + " CROSS JOIN LATERAL (SELECT * FROM credentials WHERE domain = q.domain AND user_id = q.user_id"
            + " AND status IN ('ACTIVE', 'LOCKED') UNION ALL SELECT c.* FROM licence_owners o JOIN credentials c"
            + " ON c.domain = o.domain AND c.serial_number = o.serial_number AND c.source = 'pskc' WHERE o.domain = q.domain"
            + " AND o.user_id = q.user_id AND c.status IN ('ACTIVE', 'LOCKED') AND c.user_id IS DISTINCT FROM q.user_id) c"
            + " LEFT JOIN users u ON u.domain = q.domain AND u.user_id = q.user_id ORDER BY q.n, c.created_at";

    /**
     * One code accepted in one statement (a batch of one; {@link #ACCEPT} for more): the credential's replay state moves forward only if no other
     * request moved it this far, only while the credential is active, not locked and within its
     * budget, and only while the user is neither locked nor out of budget (so no guess beyond a budget
     * is accepted); then the user's locks in a row start afresh, and the event is written, all or
     * nothing. The credential's row is changed before the user's, the order every statement keeps.
     *
     * <p>tools/launcher's {@code OtpPgBenchLimit.script} models these writes for pgbench, the yardstick of
     * {@code ./countersign bench otp}: change it with this statement's SET list or credential conditions.
     */
    private static final String ACCEPT_ONE = "WITH accepted AS (UPDATE credentials SET last_accepted = $1, drift = $2,"
            + " updated_at = $3, last_used_at = $3, fail_count = 0, fail_window_start = NULL, lock_count = 0"
            + " WHERE id = $4 AND last_accepted < $1 AND status = 'ACTIVE' AND (locked_until IS NULL OR locked_until <= $3)"
            + " AND (fail_window_start IS NULL OR fail_window_start <= $7 OR fail_count < $8)"
            + " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.domain = $5 AND u.user_id = $6 AND (u.locked_until > $3"
            + " OR (u.fail_window_start > $9 AND u.fail_count >= $10))) RETURNING id),"
            + " afresh AS (UPDATE users SET lock_count = 0 WHERE domain = $5 AND user_id = $6 AND lock_count > 0"
            + " AND EXISTS (SELECT 1 FROM accepted)),"
            + " event AS (" + INSERT_EVENT + " SELECT CAST($11 AS uuid), CAST($12 AS varchar), CAST($13 AS varchar),"
            + " CAST($14 AS varchar), CAST($15 AS varchar), CAST($16 AS varchar), CAST($17 AS timestamptz), CAST($18 AS text)"
            + " FROM accepted)"
            + " SELECT count(*) FROM accepted";

    /**
     * Accepts codes in one statement, each numbered n from 1: a credential's replay state moves
     * forward only if no other request moved it this far, only while the credential is active, not
     * locked and within its budget, and only while the user is neither locked nor out of budget (so no
     * guess beyond a budget is accepted); then the user's locks in a row start afresh and the event is
     * written, all or nothing, for the whole batch in one implicit transaction. Returns the n of each
     * code accepted. Two codes of one credential in a batch update its row once: one is accepted.
     */
    private static final String ACCEPT = "WITH q AS MATERIALIZED (SELECT * FROM unnest(CAST($1 AS uuid[]), CAST($2 AS bigint[]),"
            + " CAST($3 AS integer[]), CAST($4 AS timestamptz[]), CAST($5 AS varchar[]), CAST($6 AS varchar[]),"
            + " CAST($7 AS timestamptz[]), CAST($8 AS timestamptz[]), CAST($9 AS uuid[]), CAST($10 AS varchar[]),"
            + " CAST($11 AS varchar[]), CAST($12 AS varchar[]), CAST($13 AS varchar[]), CAST($14 AS varchar[]),"
            + " CAST($15 AS timestamptz[]), CAST($16 AS text[])) WITH ORDINALITY AS q(id, accepted, drift, now, domain, user_id,"
            + " credential_start, user_start, event_id, topic, event_key, event_type, subject, data_schema, occurred_at, payload, n)),"
            + " accepted AS (UPDATE credentials c SET last_accepted = q.accepted, drift = q.drift, updated_at = q.now,"
            + " last_used_at = q.now, fail_count = 0, fail_window_start = NULL, lock_count = 0 FROM q"
            + " WHERE c.id = q.id AND c.last_accepted < q.accepted AND c.status = 'ACTIVE'"
            + " AND (c.locked_until IS NULL OR c.locked_until <= q.now)"
            + " AND (c.fail_window_start IS NULL OR c.fail_window_start <= q.credential_start OR c.fail_count < $17)"
            + " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.domain = q.domain AND u.user_id = q.user_id"
            + " AND (u.locked_until > q.now OR (u.fail_window_start > q.user_start AND u.fail_count >= $18))) RETURNING q.n),"
            + " afresh AS (UPDATE users u SET lock_count = 0 FROM q JOIN accepted a ON a.n = q.n"
            + " WHERE u.domain = q.domain AND u.user_id = q.user_id AND u.lock_count > 0),"
            + " event AS (" + INSERT_EVENT + " SELECT q.event_id, q.topic, q.event_key, q.event_type, q.subject, q.data_schema,"
            + " q.occurred_at, q.payload FROM q JOIN accepted a ON a.n = q.n ORDER BY q.n)"
            + " SELECT n FROM accepted";

    /**
     * A guess that was not accepted counts against the user and every open credential named, in one
     * statement: reserve_attempt (migration V7) takes the attempt, or refuses it when the budgets
     * are spent or a lock holds, and the event (its payload as reserved or as refused) is written
     * in the same implicit transaction.
     */
    private static final String FAILED = "WITH reserved AS MATERIALIZED (SELECT credential_id, failures, retry_after"
            + " FROM reserve_attempt(CAST($1 AS varchar), CAST($2 AS varchar), CAST($3 AS uuid[]), CAST($4 AS timestamptz),"
            + " CAST($5 AS bigint), CAST($6 AS integer), CAST($7 AS bigint[]), CAST($8 AS bigint), CAST($9 AS integer),"
            + " CAST($10 AS bigint[]))),"
            + " event AS (" + INSERT_EVENT + " VALUES ($11, $12, $13, $14, $15, $16, $17,"
            + " CASE WHEN EXISTS (SELECT 1 FROM reserved WHERE failures IS NULL) THEN $19 ELSE $18 END))"
            + " SELECT credential_id, failures, retry_after FROM reserved";

    private static final String EVENT = INSERT_EVENT + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

    private final Pool pool;
    private final int credentialMax;
    private final int userMax;
    private final Batcher<String[], Subject> subjects;
    private final Batcher<Acceptance, Boolean> accepts;

    public CheckRepository(Pool pool, OtpConfig config) {
        this.pool = pool;
        this.credentialMax = config.throttle().maxFailures();
        this.userMax = config.throttle().user().maxFailures();
        this.subjects = new Batcher<>(this::readAll, config.batch().maxSize(), config.batch().maxInFlight());
        this.accepts = new Batcher<>(this::acceptAll, config.batch().maxSize(), config.batch().maxInFlight());
    }

    /** One acceptance asked of {@link #accept}. */
    private record Acceptance(Credential credential, String userId, long accepted, int drift, Instant now,
                              Instant credentialPeriodStart, Instant userPeriodStart, Outbox.Row event) {
    }

    /** The user and the user's usable credentials, in one round trip (shared with concurrent checks). */
    public Uni<Subject> subject(String domain, String userId) {
        return subjects.submit(new String[] {domain, userId});
    }

    private Uni<List<Subject>> readAll(List<String[]> asked) {
        if (asked.size() == 1) {
            return pool.preparedQuery(SUBJECT).execute(Tuple.of(asked.get(0)[0], asked.get(0)[1]))
                    .map(rows -> List.of(subject(rows)));
        }
        Tuple parameters = Tuple.tuple().addArrayOfString(asked.stream().map(a -> a[0]).toArray(String[]::new))
                .addArrayOfString(asked.stream().map(a -> a[1]).toArray(String[]::new));
        return pool.preparedQuery(SUBJECTS).execute(parameters).map(rows -> subjects(rows, asked.size()));
    }

    /**
     * Accepts a code of {@code credential} at {@code accepted} (a counter or time step) and writes
     * its event, in one statement (shared with concurrent checks).
     *
     * @return true for the one request that may accept the code
     */
    public Uni<Boolean> accept(Credential credential, String userId, long accepted, int drift, Instant now,
                               Duration credentialPeriod, Duration userPeriod, Outbox.Row event) {
        return accepts.submit(new Acceptance(credential, userId, accepted, drift, now, now.minus(credentialPeriod),
                now.minus(userPeriod), event));
    }

    private Uni<List<Boolean>> acceptAll(List<Acceptance> asked) {
        if (asked.size() == 1) {
            Acceptance a = asked.get(0);
            Tuple parameters = Tuple.tuple().addLong(a.accepted()).addInteger(a.drift()).addOffsetDateTime(utc(a.now()))
                    .addUUID(a.credential().id).addString(a.credential().domain).addString(a.userId())
                    .addOffsetDateTime(utc(a.credentialPeriodStart())).addInteger(credentialMax)
                    .addOffsetDateTime(utc(a.userPeriodStart())).addInteger(userMax);
            return pool.preparedQuery(ACCEPT_ONE).execute(event(parameters, a.event()))
                    .map(rows -> List.of(rows.iterator().next().getLong(0) == 1));
        }
        Tuple parameters = Tuple.tuple()
                .addArrayOfUUID(asked.stream().map(a -> a.credential().id).toArray(UUID[]::new))
                .addArrayOfLong(asked.stream().map(Acceptance::accepted).toArray(Long[]::new))
                .addArrayOfInteger(asked.stream().map(Acceptance::drift).toArray(Integer[]::new))
                .addArrayOfOffsetDateTime(asked.stream().map(a -> utc(a.now())).toArray(OffsetDateTime[]::new))
                .addArrayOfString(asked.stream().map(a -> a.credential().domain).toArray(String[]::new))
                .addArrayOfString(asked.stream().map(Acceptance::userId).toArray(String[]::new))
                .addArrayOfOffsetDateTime(asked.stream().map(a -> utc(a.credentialPeriodStart())).toArray(OffsetDateTime[]::new))
                .addArrayOfOffsetDateTime(asked.stream().map(a -> utc(a.userPeriodStart())).toArray(OffsetDateTime[]::new))
                .addArrayOfUUID(asked.stream().map(a -> a.event().id()).toArray(UUID[]::new))
                .addArrayOfString(asked.stream().map(a -> a.event().topic()).toArray(String[]::new))
                .addArrayOfString(asked.stream().map(a -> a.event().key()).toArray(String[]::new))
                .addArrayOfString(asked.stream().map(a -> a.event().type()).toArray(String[]::new))
                .addArrayOfString(asked.stream().map(a -> a.event().subject()).toArray(String[]::new))
                .addArrayOfString(asked.stream().map(a -> a.event().dataSchema()).toArray(String[]::new))
                .addArrayOfOffsetDateTime(asked.stream().map(a -> a.event().occurredAt()).toArray(OffsetDateTime[]::new))
                .addArrayOfString(asked.stream().map(a -> a.event().payload()).toArray(String[]::new))
                .addInteger(credentialMax).addInteger(userMax);
        return pool.preparedQuery(ACCEPT).execute(parameters).map(rows -> {
            Boolean[] won = new Boolean[asked.size()];
            Arrays.fill(won, Boolean.FALSE);
            for (Row row : rows) {
                won[(int) (row.getLong(0) - 1)] = Boolean.TRUE;
            }
            return List.of(won);
        });
    }

    /**
     * Counts a guess that was not accepted against the user and the credentials named, or refuses it,
     * and writes its event ({@code asReserved} when counted, {@code asRefused} when refused, which
     * differ only in their payload), in one statement.
     */
    public Uni<Reservation> failed(String domain, String userId, List<UUID> credentialIds, Instant now,
                                   Duration credentialPeriod, int credentialMax, Long[] credentialLockSeconds,
                                   Duration userPeriod, int userMax, Long[] userLockSeconds,
                                   Outbox.Row asReserved, Outbox.Row asRefused) {
        Tuple parameters = Tuple.tuple().addString(domain).addString(userId).addArrayOfUUID(credentialIds.toArray(UUID[]::new))
                .addOffsetDateTime(utc(now)).addLong(credentialPeriod.toSeconds()).addInteger(credentialMax)
                .addArrayOfLong(credentialLockSeconds).addLong(userPeriod.toSeconds()).addInteger(userMax)
                .addArrayOfLong(userLockSeconds);
        event(parameters, asReserved).addString(asRefused.payload());
        return pool.preparedQuery(FAILED).execute(parameters).map(CheckRepository::reservation);
    }

    /** Writes one event alone (a check that changed nothing: no credential, or a lock already known). */
    public Uni<Void> record(Outbox.Row event) {
        return pool.preparedQuery(EVENT).execute(event(Tuple.tuple(), event)).replaceWithVoid();
    }

    private static Tuple event(Tuple parameters, Outbox.Row event) {
        return parameters.addUUID(event.id()).addString(event.topic()).addString(event.key()).addString(event.type())
                .addString(event.subject()).addString(event.dataSchema()).addOffsetDateTime(event.occurredAt())
                .addString(event.payload());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Subject subject(RowSet<Row> rows) {
        User user = null;
        List<Credential> credentials = new ArrayList<>();
        for (Row row : rows) {
            if (user == null && row.getString("u_user_id") != null) {
                user = user(row);
            }
            credentials.add(credential(row));
        }
        return new Subject(user, credentials);
    }

    /** The rows of a batch, split by the n of the (domain, user) asked. */
    private static List<Subject> subjects(RowSet<Row> rows, int asked) {
        User[] users = new User[asked];
        List<List<Credential>> credentials = new ArrayList<>();
        for (int i = 0; i < asked; i++) {
            credentials.add(new ArrayList<>());
        }
        for (Row row : rows) {
            int n = (int) (row.getLong("n") - 1);
            if (users[n] == null && row.getString("u_user_id") != null) {
                users[n] = user(row);
            }
            credentials.get(n).add(credential(row));
        }
        List<Subject> subjects = new ArrayList<>(asked);
        for (int i = 0; i < asked; i++) {
            subjects.add(new Subject(users[i], credentials.get(i)));
        }
        return subjects;
    }

    private static Credential credential(Row row) {
        Credential c = new Credential();
        c.id = row.getUUID("id");
        c.domain = row.getString("domain");
        c.userId = row.getString("user_id");
        c.serialNumber = row.getString("serial_number");
        c.instanceId = row.getString("instance_id");
        c.otpPolicy = row.getString("otp_policy");
        c.kind = CredentialKind.valueOf(row.getString("kind"));
        c.sealedSecret = row.getString("sealed_secret");
        c.lastAccepted = row.getLong("last_accepted");
        c.drift = row.getInteger("drift");
        c.status = CredentialStatus.valueOf(row.getString("status"));
        c.lockedUntil = instant(row.getOffsetDateTime("locked_until"));
        c.failCount = row.getInteger("fail_count");
        c.failWindowStart = instant(row.getOffsetDateTime("fail_window_start"));
        c.lockCount = row.getInteger("lock_count");
        c.createdAt = instant(row.getOffsetDateTime("created_at"));
        return c;
    }

    private static User user(Row row) {
        User u = new User();
        u.domain = row.getString("domain");
        u.userId = row.getString("u_user_id");
        u.pinAlgorithm = row.getString("pin_algorithm");
        u.pinHash = bytes(row, "pin_hash");
        u.pinSalt = bytes(row, "pin_salt");
        u.pinMemoryKib = row.getInteger("pin_memory_kib");
        u.pinIterations = row.getInteger("pin_iterations");
        u.pinParallelism = row.getInteger("pin_parallelism");
        u.failCount = row.getInteger("u_fail_count");
        u.failWindowStart = instant(row.getOffsetDateTime("u_fail_window_start"));
        u.lockedUntil = instant(row.getOffsetDateTime("u_locked_until"));
        u.lockCount = row.getInteger("u_lock_count");
        return u;
    }

    private static byte[] bytes(Row row, String column) {
        io.vertx.mutiny.core.buffer.Buffer buffer = row.getBuffer(column);
        return buffer == null ? null : buffer.getBytes();
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** reserve_attempt's rows, as UserRepository reads them. */
    private static Reservation reservation(RowSet<Row> rows) {
        List<Object[]> read = new ArrayList<>();
        for (Row row : rows) {
            read.add(new Object[] {row.getUUID("credential_id"), row.getInteger("failures"), row.getLong("retry_after")});
        }
        return UserRepository.reservation(read);
    }
}
