package org.countersign.events.relay;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Publishes a service's outbox to Kafka, in outbox order, and stamps what Kafka acknowledged.
 *
 * <p>One replica publishes at a time, so each key's events leave in the order they were committed:
 * the relay that holds a session-scoped advisory lock on the schema's outbox, taken on a connection it
 * keeps for as long as it leads. The others try the lock at each notification or poll and take over
 * when the leader's connection goes (its process stopped, died or lost the database). A leader needs no
 * transaction: under load each batch is one statement, which stamps the batch Kafka acknowledged
 * before it and reads the next. While the leader waits for work it holds a second advisory lock, the idle lock, and
 * only then does a commit with events notify it (the outbox's trigger; LISTEN here): a NOTIFY serializes the
 * database's notifying commits and signals every listening session, and a busy leader reads the events anyway. It
 * starts to wait only once it holds the idle lock and has looked at the outbox once more: a transaction whose events
 * did not notify holds the lock shared until it ends, so the leader cannot miss them. Polling is the safety net
 * (and how standbys notice a leader gone). While Kafka is unreachable the relay backs off and the events wait in the
 * table.
 *
 * <p>Plain Java (JDBC and a Kafka producer on threads of its own), so that the service wrapper and
 * the benchmark run exactly the same code.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());

    /**
     * How the relay paces itself. {@code batchWait}: after a batch smaller than {@code batchSize}, how long the leader
     * lets the next events gather before it stamps it and reads them, so that events committed one by one under load
     * go to Kafka a few at a time instead of a produce request and a statement each; 0 sends each batch at once.
     */
    public record Options(Duration pollInterval, int batchSize, Duration retention, Duration maxBackoff,
                          Duration batchWait) {
    }

    // The lock lives as long as the session: a leader whose host vanished (no FIN or RST ever reaches PostgreSQL)
    // must lose it in seconds, not after Linux's two-hour keepalive. 10 s idle, then 3 probes 5 s apart, and
    // 15 s for unacknowledged data: about 25 s until a standby can lead.
    private static final String LOCK = "SELECT set_config('tcp_keepalives_idle', '10', false),"
            + " set_config('tcp_keepalives_interval', '5', false), set_config('tcp_keepalives_count', '3', false),"
            + " set_config('tcp_user_timeout', '15000', false),"
            + " pg_try_advisory_lock(hashtext(current_schema() || '.countersign-outbox'))";
    /** Failed batches in a row after which a leader lets another replica try (its Kafka may be the one away). */
    static final int RESIGN_AFTER_FAILURES = 5;
    private static final String UNLOCK = "SELECT pg_advisory_unlock_all()";
    // Held by the leader while it waits for work; the outbox's trigger notifies only then (R__countersign_events.sql).
    private static final String IDLE = "hashtext(current_schema() || '.countersign-outbox-idle')";
    private static final String TRY_IDLE = "SELECT pg_try_advisory_lock(" + IDLE + ")";
    private static final String LEAVE_IDLE = "SELECT pg_advisory_unlock(" + IDLE + ")";
    /** How soon the leader looks again when a transaction with events has not ended yet (it will not notify). */
    private static final Duration IN_FLIGHT_RECHECK = Duration.ofMillis(5);
    // The rows stamped here still look unpublished to the SELECT (one snapshot): they are left out by seq.
    private static final String STAMP_AND_SELECT = "WITH stamped AS (UPDATE outbox_events SET published_at = now()"
            + " WHERE seq = ANY(?)) SELECT seq, event_id, topic, event_key, event_type, subject, data_schema, occurred_at,"
            + " payload FROM outbox_events WHERE published_at IS NULL AND seq <> ALL(?) ORDER BY seq LIMIT ?";
    private static final String STAMP = "UPDATE outbox_events SET published_at = now() WHERE seq = ANY(?)";
    private static final String CLEAN = "DELETE FROM outbox_events WHERE seq IN (SELECT seq FROM outbox_events"
            + " WHERE published_at < now() - ?::interval LIMIT 10000)";

    private final DataSource dataSource;
    private final Producer<String, CloudEvent> producer;
    private final URI source;
    private final Options options;
    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running;
    // Written by the worker thread only: the connection that holds the lock (read by leading() too), and what Kafka
    // acknowledged but is not stamped yet.
    private volatile Connection leader;
    private List<Long> unstamped = List.of();
    /** Whether the leader's session holds the idle lock, so that commits with events notify it. */
    private boolean idle;
    private Thread worker;
    private Thread listener;

    public OutboxRelay(DataSource dataSource, Producer<String, CloudEvent> producer, String source, Options options) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.source = URI.create(source);
        this.options = options;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::publishLoop, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
        listener = new Thread(this::listenLoop, "outbox-listener");
        listener.setDaemon(true);
        listener.start();
    }

    /** Asks the relay to look at the outbox now. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Events acknowledged by Kafka and stamped published since start. */
    public long published() {
        return published.get();
    }

    /** Whether this relay holds the outbox's lock and so is the one that publishes. */
    public boolean leading() {
        return leader != null;
    }

    /** Batches that could not be published (Kafka or the database unreachable). */
    public long failures() {
        return failures.get();
    }

    private void publishLoop() {
        try {
            publishUntilClosed();
        } finally {
            stampQuietly();
            resign();
        }
    }

    private void publishUntilClosed() {
        Duration backoff = Duration.ZERO;
        Instant nextCleanUp = Instant.now().plusSeconds(60);
        int failedInARow = 0;
        while (running) {
            boolean more = false;
            try {
                int sent = publishBatch();
                more = sent > 0;
                backoff = Duration.ZERO;
                failedInARow = 0;
                if (more && idle) {
                    // Busy again: commits need not notify, it will read their events anyway.
                    leaveIdle();
                }
                if (!more && leader != null && !idle) {
                    // Nothing waits. Wait for a notification only once commits send one, and after one more look.
                    if (!enterIdle()) {
                        sleepQuietly(options.batchWait().isZero() ? IN_FLIGHT_RECHECK : options.batchWait());
                    }
                    continue;
                }
                if (more && sent < options.batchSize() && !options.batchWait().isZero()) {
                    // Events flow, and no backlog waits: let the next ones gather (Options#batchWait).
                    gather();
                }
                // Only a leader cleans, and only when idle: then nothing it sent waits to be stamped.
                if (!more && leader != null && Instant.now().isAfter(nextCleanUp)) {
                    cleanUp();
                    nextCleanUp = Instant.now().plus(Duration.ofMinutes(10));
                }
            } catch (Exception e) {
                failures.incrementAndGet();
                if (++failedInARow >= RESIGN_AFTER_FAILURES && leader != null) {
                    // A replica cut off from Kafka alone would otherwise hold the outbox while others could publish.
                    resign();
                    failedInARow = 0;
                }
                backoff = backoff.isZero() ? Duration.ofMillis(200) : min(backoff.multipliedBy(2), options.maxBackoff());
                LOG.log(Level.WARNING, "Outbox not published ({0}); retrying in {1} ms",
                        new Object[] {e.getClass().getSimpleName(), backoff.toMillis()});
            }
            if (!more && running) {
                try {
                    Duration wait = backoff.isZero() ? options.pollInterval() : backoff;
                    if (backoff.isZero()) {
                        wakeUps.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
                    } else {
                        Thread.sleep(wait.toMillis());
                    }
                    wakeUps.drainPermits();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** @return the events sent, which the next statement stamps; 0 when none waited (or this relay does not lead) */
    int publishBatch() throws Exception {
        if (leader == null && !lead()) {
            return 0;
        }
        try {
            List<OutboxRow> rows = stampAndSelect();
            if (rows.isEmpty()) {
                return 0;
            }
            // Metadata first: a send that fails for want of it fails at once, while a later one could
            // succeed and overtake it. Without metadata we send nothing and back off.
            for (String topic : rows.stream().map(OutboxRow::topic).distinct().toList()) {
                producer.partitionsFor(topic);
            }
            List<Future<?>> sends = new ArrayList<>(rows.size());
            for (OutboxRow row : rows) {
                Future<?> send = producer.send(new ProducerRecord<>(row.topic(), row.key(), row.toCloudEvent(source)));
                sends.add(send);
                if (send.isDone() && failed(send)) {
                    // Nothing after a failed event may leave before it does.
                    break;
                }
            }
            List<Long> acknowledged = new ArrayList<>(rows.size());
            Exception failure = null;
            for (int i = 0; i < sends.size(); i++) {
                try {
                    sends.get(i).get();
                    if (failure == null) {
                        acknowledged.add(rows.get(i).seq());
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // Only the acknowledged prefix counts as published: what follows a failure is
                    // sent again, after it, so each key keeps its order.
                    if (failure == null) {
                        failure = (Exception) e.getCause();
                    }
                }
            }
            unstamped = acknowledged;
            if (failure != null || sends.size() < rows.size()) {
                stamp();
                throw failure != null ? failure : new IllegalStateException("A send failed at once; the rest of the batch waits");
            }
            return rows.size();
        } catch (SQLException e) {
            // The connection may be gone, and the lock with it: lead again only after taking it afresh.
            resign();
            throw e;
        }
    }

    /** Takes the outbox's lock on a connection kept for as long as this relay leads; false when another holds it. */
    private boolean lead() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(LOCK)) {
                if (rs.next() && rs.getBoolean(5)) {
                    leader = connection;
                    return true;
                }
            }
        } catch (SQLException | RuntimeException e) {
            // The lock may have been granted before the failure: this session must not go back to the pool.
            discard(connection);
            throw e;
        }
        connection.close();
        return false;
    }

    /**
     * Takes the idle lock without waiting; false while a transaction that inserted events holds it shared (it will not
     * notify, so the leader must look again soon rather than wait for a notification).
     */
    private boolean enterIdle() throws SQLException {
        try (Statement statement = leader.createStatement(); ResultSet rs = statement.executeQuery(TRY_IDLE)) {
            idle = rs.next() && rs.getBoolean(1);
            return idle;
        } catch (SQLException e) {
            resign();
            throw e;
        }
    }

    private void leaveIdle() throws SQLException {
        idle = false;
        try (Statement statement = leader.createStatement()) {
            statement.execute(LEAVE_IDLE);
        } catch (SQLException e) {
            // Perhaps still holding it: commits would go on notifying. Lead afresh on a new session instead.
            resign();
            throw e;
        }
    }

    /** Lets the lock go, so that another replica can lead (a pooled connection must not keep it). */
    private void resign() {
        Connection connection = leader;
        leader = null;
        idle = false;
        unstamped = List.of();
        if (connection == null) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(UNLOCK);
        } catch (SQLException | RuntimeException e) {
            // Perhaps still holding the lock: the session must end rather than go back to the pool.
            discard(connection);
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing more to release.
        }
    }

    /**
     * Ends the connection's session (and any lock it holds) before the pool takes the connection back: the
     * pool's own close only returns a session to it, and its abort() would leave the slot taken.
     */
    private static void discard(Connection connection) {
        try {
            connection.unwrap(org.postgresql.core.BaseConnection.class).close();
        } catch (SQLException | RuntimeException ignored) {
            // Already gone.
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // The pool finds the session closed and drops it.
        }
    }

    /** Stamps what Kafka acknowledged last and reads the next batch, in one statement. */
    private List<OutboxRow> stampAndSelect() throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        try (PreparedStatement select = leader.prepareStatement(STAMP_AND_SELECT)) {
            Array seqs = leader.createArrayOf("bigint", unstamped.toArray());
            select.setArray(1, seqs);
            select.setArray(2, seqs);
            select.setInt(3, options.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class),
                            rs.getString(9)));
                }
            }
        }
        published.addAndGet(unstamped.size());
        unstamped = List.of();
        return rows;
    }

    private void stamp() throws SQLException {
        if (unstamped.isEmpty()) {
            return;
        }
        try (PreparedStatement update = leader.prepareStatement(STAMP)) {
            update.setArray(1, leader.createArrayOf("bigint", unstamped.toArray()));
            update.executeUpdate();
        }
        published.addAndGet(unstamped.size());
        unstamped = List.of();
    }

    /** At close: what was acknowledged is stamped, so that the next leader does not send it again. */
    private void stampQuietly() {
        if (leader == null) {
            return;
        }
        try {
            stamp();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "Outbox: acknowledged events not stamped at close; the next leader sends them again", e);
        }
    }

    private static boolean failed(Future<?> send) {
        try {
            send.get();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private void cleanUp() throws SQLException {
        if (leader == null) {
            return;
        }
        try (PreparedStatement delete = leader.prepareStatement(CLEAN)) {
            delete.setString(1, options.retention().toSeconds() + " seconds");
            while (delete.executeUpdate() > 0 && running) {
                // Small batches keep each delete short.
            }
        }
    }

    /** Waits on LISTEN with a connection of its own; any notification wakes the publisher. */
    private void listenLoop() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                String channel;
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
                    rs.next();
                    channel = rs.getString(1) + "_outbox";
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN \"" + channel.replace("\"", "") + "\"");
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                wake();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        wake();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.log(Level.FINE, "Outbox listener reconnecting", e);
                    sleepQuietly(Duration.ofSeconds(1));
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        wake();
        join(worker);
        join(listener);
    }

    private static void join(Thread thread) {
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    /** Waits {@link Options#batchWait}, or less when the relay is closed meanwhile. */
    private void gather() {
        try {
            if (!running) {
                return;
            }
            Thread.sleep(options.batchWait().toMillis(), options.batchWait().toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One row of the outbox. */
    record OutboxRow(long seq, String eventId, String topic, String key, String type, String subject, String dataSchema,
                     OffsetDateTime occurredAt, String payload) {

        CloudEvent toCloudEvent(URI source) {
            CloudEventBuilder builder = CloudEventBuilder.v1()
                    .withId(eventId)
                    .withSource(source)
                    .withType(type)
                    .withTime(occurredAt)
                    .withDataSchema(URI.create(dataSchema))
                    .withDataContentType("application/json")
                    .withData(payload.getBytes(StandardCharsets.UTF_8));
            if (subject != null) {
                builder.withSubject(subject);
            }
            return builder.build();
        }
    }
}
