package org.countersign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.countersign.events.relay.OutboxRelay;
import org.countersign.testing.Await;
import org.countersign.testing.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Two replicas' relays on one outbox, on a schema of their own (the test application's relay runs on
 * its own schema), each with a pool as the services have (Agroal: a closed connection goes back to the
 * pool with its session, so a lock left on it would show): one leads at a time, the other takes over
 * when the leader stops, loses its database session or cannot reach Kafka, and every event reaches
 * Kafka with each key's events first seen in commit order.
 */
@QuarkusTest
class OutboxRelayTest {

    private static final int KEYS = 8;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    private static final OutboxRelay.Options OPTIONS = new OutboxRelay.Options(Duration.ofMillis(200), 7, Duration.ofDays(1),
            Duration.ofSeconds(1), Duration.ZERO);

    /** What a test does with relays on a scratch outbox of its own. */
    private interface Scenario {
        void run(String schema, String topic) throws Exception;
    }

    @Test
    void twoReplicas_oneLeads_theOtherTakesOverWhenItStopsOrLosesItsSession_eachKeyInOrder() throws Exception {
        onScratchOutbox(200, this::failOverTwice);
    }

    private void failOverTwice(String schema, String topic) throws Exception {
        try (AgroalDataSource poolA = pool(schema); AgroalDataSource poolB = pool(schema);
             KafkaProducer<String, CloudEvent> producerA = new EventsFixtures(jdbcUrl, bootstrap).cloudEventProducer();
             KafkaProducer<String, CloudEvent> producerB = new EventsFixtures(jdbcUrl, bootstrap).cloudEventProducer()) {
            OutboxRelay a = new OutboxRelay(poolA, producerA, "/test/a", OPTIONS);
            OutboxRelay b = new OutboxRelay(poolB, producerB, "/test/b", OPTIONS);
            a.start();
            b.start();
            try {
                insert(schema, topic, 0, 60);
                awaitStamped(schema, 60);
                Await.until(() -> a.published() + b.published() == 60, "both relays counted 60 published");
                assertTrue(a.leading() ^ b.leading(), "exactly one relay leads");
                OutboxRelay first = a.leading() ? a : b;
                OutboxRelay second = first == a ? b : a;
                assertEquals(0, second.published(), "the one that does not lead published nothing");

                // The leader's database session ends under it (a failover, a network cut): a relay leads again.
                terminateLeaderSession(schema);
                insert(schema, topic, 60, 120);
                awaitStamped(schema, 120);

                // The leader stops (a rolling restart): the other leads and publishes what comes next. A relay learns
                // that it lost its session only at its next statement, so wait until one alone believes it leads.
                Await.until(() -> a.leading() ^ b.leading(), "exactly one relay leads after the failover");
                OutboxRelay leaderNow = first.leading() ? first : second;
                OutboxRelay standby = leaderNow == first ? second : first;
                leaderNow.close();
                insert(schema, topic, 120, 200);
                awaitStamped(schema, 200);
                assertTrue(standby.leading(), "the standby took over");
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /**
     * With a batch wait, the events committed one by one while the leader waits after a small batch leave together:
     * one read, one send and one stamp (the same published_at) for all four. Without it the leader, woken by each
     * commit, takes them one at a time.
     */
    @Test
    void eventsCommittedOneByOneDuringTheBatchWait_leaveInOneBatch() throws Exception {
        onScratchOutbox(5, this::gatherDuringTheWait);
    }

    private void gatherDuringTheWait(String schema, String topic) throws Exception {
        OutboxRelay.Options gathering = new OutboxRelay.Options(OPTIONS.pollInterval(), OPTIONS.batchSize(), OPTIONS.retention(),
                OPTIONS.maxBackoff(), Duration.ofSeconds(5));
        try (AgroalDataSource pool = pool(schema);
             KafkaProducer<String, CloudEvent> producer = new EventsFixtures(jdbcUrl, bootstrap).cloudEventProducer()) {
            OutboxRelay relay = new OutboxRelay(pool, producer, "/test/gather", gathering);
            relay.start();
            try {
                insert(schema, topic, 0, 1);
                // Sent: the leader now waits before it stamps it and reads what came meanwhile.
                TopicReader.await(bootstrap, topic, r -> true, Duration.ofSeconds(30));
                for (int n = 1; n < 5; n++) {
                    // Far enough apart that a relay without the wait, woken by each commit, sends each on its own.
                    Thread.sleep(250);
                    insert(schema, topic, n, n + 1);
                }
                awaitStamped(schema, 5);
                assertEquals(1, count("SELECT count(DISTINCT published_at) FROM " + schema + ".outbox_events"
                        + " WHERE payload <> '{\"n\":0}'"), "the four committed during the wait were stamped as one batch");
            } finally {
                relay.close();
            }
        }
    }

    /**
     * A commit with events notifies only a leader that waits for work (its poll interval an hour here, so that only a
     * notification can wake it); a leader busy gathering is sent none. And a transaction that inserted its event while
     * the leader was busy, and ends after the leader ran out of work, is published at once although it notifies
     * nobody: the leader does not start to wait while such a transaction is open.
     */
    @Test
    void commitsNotifyOnlyAWaitingLeader_andAnEventThatDidNotNotifyIsNotLeftForThePoll() throws Exception {
        onScratchOutbox(3, this::notifyOnlyAWaitingLeader);
    }

    private void notifyOnlyAWaitingLeader(String schema, String topic) throws Exception {
        OutboxRelay.Options options = new OutboxRelay.Options(Duration.ofHours(1), OPTIONS.batchSize(), OPTIONS.retention(),
                OPTIONS.maxBackoff(), Duration.ofSeconds(3));
        try (AgroalDataSource pool = pool(schema);
             KafkaProducer<String, CloudEvent> producer = new EventsFixtures(jdbcUrl, bootstrap).cloudEventProducer();
             Connection listener = connect()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN \"" + schema + "_outbox\"");
            }
            PGConnection notifications = listener.unwrap(PGConnection.class);
            OutboxRelay relay = new OutboxRelay(pool, producer, "/test/idle", options);
            relay.start();
            try {
                Await.until(() -> idleLockHeld(schema), "the leader waits for work");
                insert(schema, topic, 0, 1);
                assertTrue(notified(notifications, Duration.ofSeconds(10)), "the commit notified the waiting leader");
                TopicReader.await(bootstrap, topic, r -> payload(r).equals("{\"n\":0}"), Duration.ofSeconds(30));

                // The leader now gathers for 3 s, busy: a transaction's event notifies nobody.
                Await.until(() -> !idleLockHeld(schema), "the leader is busy");
                try (Connection open = connect()) {
                    open.setAutoCommit(false);
                    insertOn(open, schema, topic, 1);
                    // Past the gathering: the leader finds nothing committed, and the open transaction keeps it looking.
                    Thread.sleep(options.batchWait().toMillis() + 1_000);
                    assertFalse(idleLockHeld(schema), "the leader does not wait while a transaction with events is open");
                    open.commit();
                }
                TopicReader.await(bootstrap, topic, r -> payload(r).equals("{\"n\":1}"), Duration.ofSeconds(30));
                assertFalse(notified(notifications, Duration.ZERO), "the event committed while the leader was busy notified nobody");

                Await.until(() -> idleLockHeld(schema), "the leader waits for work again");
                insert(schema, topic, 2, 3);
                assertTrue(notified(notifications, Duration.ofSeconds(10)), "the commit notified the waiting leader");
                awaitStamped(schema, 3);
            } finally {
                relay.close();
            }
        }
    }

    private boolean idleLockHeld(String schema) throws Exception {
        return count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND mode = 'ExclusiveLock'"
                + " AND objid::int = hashtext('" + schema + ".countersign-outbox-idle')") == 1;
    }

    /** Whether a notification came within {@code wait} (or is there already). */
    private static boolean notified(PGConnection connection, Duration wait) throws Exception {
        PGNotification[] received = connection.getNotifications((int) Math.max(1, wait.toMillis()));
        return received != null && received.length > 0;
    }

    private static String payload(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    @Test
    void leaderThatCannotReachKafka_resigns_anotherPublishes() throws Exception {
        onScratchOutbox(16, this::leadWithoutKafka);
    }

    /** Runs the scenario on a new schema and topic, checks the events it published, and drops both. */
    private void onScratchOutbox(int events, Scenario scenario) throws Exception {
        String schema = "relay_" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "test.relay." + schema;
        createOutbox(schema, topic);
        try {
            scenario.run(schema, topic);
            assertEachKeyFirstSeenInOrder(topic, events);
        } finally {
            drop(schema, topic);
        }
    }

    private void leadWithoutKafka(String schema, String topic) throws Exception {
        // A replica whose network reaches PostgreSQL but not the broker: nothing listens on port 1.
        Map<String, Object> unreachable = Map.of("bootstrap.servers", "127.0.0.1:1", "max.block.ms", 300);
        try (AgroalDataSource poolA = pool(schema); AgroalDataSource poolB = pool(schema);
             KafkaProducer<String, CloudEvent> cutOff = new KafkaProducer<>(unreachable, new StringSerializer(),
                     new CloudEventSerializer());
             KafkaProducer<String, CloudEvent> healthy = new EventsFixtures(jdbcUrl, bootstrap).cloudEventProducer()) {
            OutboxRelay stuck = new OutboxRelay(poolA, cutOff, "/test/stuck", OPTIONS);
            OutboxRelay other = new OutboxRelay(poolB, healthy, "/test/other", OPTIONS);
            stuck.start();
            try {
                Await.until(stuck::leading, "the cut-off relay leads first");
                other.start();
                insert(schema, topic, 0, 16);
                awaitStamped(schema, 16);
                assertTrue(other.leading(), "the healthy relay took over");
                assertEquals(16, other.published());
                assertEquals(0, stuck.published());
            } finally {
                stuck.close();
                other.close();
            }
        }
    }

    /** As Quarkus configures the services' JDBC pool for PostgreSQL: 4 connections, broken ones dropped. */
    private AgroalDataSource pool(String schema) throws Exception {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(pool -> pool
                .maxSize(4).exceptionSorter(new PostgreSQLExceptionSorter())
                .connectionFactoryConfiguration(factory -> factory.jdbcUrl(jdbcUrl)
                        .principal(new NamePrincipal("postgres")).jdbcProperty("currentSchema", schema))));
    }

    private void drop(String schema, String topic) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The outbox table and its notification, as libs/events' migration creates them in a service's schema. */
    private void createOutbox(String schema, String topic) throws Exception {
        String ddl = new String(getClass().getClassLoader().getResourceAsStream("db/events/R__countersign_events.sql")
                .readAllBytes(), StandardCharsets.UTF_8);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path TO " + schema);
            s.execute(ddl);
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Events from..to-1, each in a transaction of its own, spread over the keys; the payload says its number per key. */
    private void insert(String schema, String topic, int from, int to) throws Exception {
        try (Connection c = connect()) {
            for (int i = from; i < to; i++) {
                insertOn(c, schema, topic, i);
            }
        }
    }

    private static void insertOn(Connection c, String schema, String topic, int n) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + schema + ".outbox_events"
                + " (event_id, topic, event_key, event_type, data_schema, occurred_at, payload) VALUES (?, ?, ?, 'test.relay', '/s', ?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, topic);
            insert.setString(3, "k" + (n % KEYS));
            insert.setObject(4, OffsetDateTime.now());
            insert.setString(5, "{\"n\":" + n + "}");
            insert.executeUpdate();
        }
    }

    private void terminateLeaderSession(String schema) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                        + " AND objid::int = hashtext('" + schema + ".countersign-outbox')")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "one session held the outbox's lock");
        }
    }

    private void awaitStamped(String schema, int expected) throws Exception {
        Await.until(() -> count("SELECT count(*) FROM " + schema + ".outbox_events WHERE published_at IS NOT NULL") == expected,
                expected + " events stamped published");
    }

    /** Duplicates are allowed (a leader cut off after Kafka acknowledged, before it stamped); reordering is not. */
    private void assertEachKeyFirstSeenInOrder(String topic, int events) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(bootstrap, topic, r -> true);
        Map<String, Integer> last = new HashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String json = new String(record.value(), StandardCharsets.UTF_8);
            int n = Integer.parseInt(json.replaceAll("\\D", ""));
            if (seen.add(n)) {
                int previous = last.getOrDefault(record.key(), -1);
                assertTrue(n > previous, "key " + record.key() + ": event " + n + " first seen after " + previous);
                last.put(record.key(), n);
            }
        }
        assertEquals(events, seen.size(), "every event reached Kafka");
    }

    private int count(String query) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }
}
