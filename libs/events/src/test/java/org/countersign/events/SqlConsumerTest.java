package org.countersign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.countersign.events.app.SqlAccountChangesHandler;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A handler on the reactive SQL client ({@link SqlEventHandler}): its effect and its dedup record commit
 * or roll back together, and a batch is committed up to the record that must wait, which with the
 * records after it comes again, applied once.
 */
@QuarkusTest
class SqlConsumerTest {

    private static final String CONSUMER = "events-test.sql-account-changes";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    String prefix;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void thirdOfFiveRetried_firstTwoCommitted_restRedelivered_eachAppliedOnceInOrder() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = "sql-" + UUID.randomUUID() + "@acme.test";
        String topic = prefix + SqlAccountChangesHandler.TYPE.topic();
        SqlAccountChangesHandler.HELD.add(key + "/3");
        int attemptsBefore = SqlAccountChangesHandler.HELD_ATTEMPTS.get();
        Sent batch = sendInOneBatch(key);
        List<String> ids = batch.ids();
        List<RecordMetadata> sent = batch.records();
        TopicPartition partition = new TopicPartition(topic, sent.get(0).partition());
        String applied = "SELECT count(*) FROM sql_applied_changes WHERE account_key = '" + key + "'";
        String dedup = "SELECT count(*) FROM processed_events WHERE consumer = '" + CONSUMER + "' AND event_id IN ('"
                + String.join("', '", ids) + "')";
        try {
            db.awaitSql(applied, 2, Duration.ofSeconds(30));
            awaitCommitted(partition, sent.get(2).offset());
            awaitHeldAttempts(attemptsBefore + 2);
            // Tried again and again: its row and its dedup record rolled back each time, nothing after it applied.
            assertEquals(2, db.sqlInt(applied));
            assertEquals(2, db.sqlInt(dedup));
            assertEquals(sent.get(2).offset(), committed(partition), "committed up to the record that waits, not beyond");
        } finally {
            SqlAccountChangesHandler.HELD.remove(key + "/3");
        }
        db.awaitSql(applied, 5, Duration.ofSeconds(30));
        awaitCommitted(partition, sent.get(4).offset() + 1);
        assertEquals(5, db.sqlInt(dedup));
        assertEquals(5, db.sqlInt(applied + " AND in_order"), "each applied once, in order");
    }

    /** Events that arrive in one poll (one batch of the producer) are applied in one transaction, in order, each once. */
    @Test
    void onePoll_appliedInOneTransaction_inOrder() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = "poll-" + UUID.randomUUID() + "@acme.test";
        List<String> ids = sendInOneBatch(key).ids();
        String applied = "SELECT count(*) FROM sql_applied_changes WHERE account_key = '" + key + "'";
        db.awaitSql(applied, 5, Duration.ofSeconds(30));
        assertEquals(5, db.sqlInt(applied + " AND in_order"), "in order");
        assertEquals(1, db.sqlInt("SELECT count(DISTINCT tx) FROM sql_applied_changes WHERE account_key = '" + key + "'"),
                "one transaction for the poll");
        assertEquals(5, db.sqlInt("SELECT count(*) FROM processed_events WHERE consumer = '" + CONSUMER + "' AND event_id IN ('"
                + String.join("', '", ids) + "')"));
    }

    /**
     * A poll's dedup records are one statement: an event applied before (its dedup record is there) is
     * skipped, and one the poll brings twice (a producer's retry) is applied once, at its first place; the
     * new ones in one transaction, in order.
     */
    @Test
    void onePoll_oneAppliedBefore_oneTwice_eachNewOneAppliedOnce() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = "twice-" + UUID.randomUUID() + "@acme.test";
        String before = UUID.randomUUID().toString();
        String twice = UUID.randomUUID().toString();
        String last = UUID.randomUUID().toString();
        assertEquals(1, db.sqlInt("WITH d AS (INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('"
                + CONSUMER + "', '" + before + "', now()) RETURNING 1) SELECT count(*) FROM d"));
        sendInOneBatch(key, List.of(before, twice, twice, last), List.of(1, 1, 1, 2));
        String applied = "SELECT count(*) FROM sql_applied_changes WHERE account_key = '" + key + "'";
        db.awaitSql(applied, 2, Duration.ofSeconds(30));
        assertEquals(0, db.sqlInt(applied + " AND event_id = '" + before + "'"), "applied before: skipped");
        assertEquals(1, db.sqlInt(applied + " AND event_id = '" + twice + "' AND seq = 1"), "brought twice: applied once");
        assertEquals(1, db.sqlInt(applied + " AND event_id = '" + last + "' AND seq = 2"));
        assertEquals(2, db.sqlInt(applied + " AND in_order"), "in order");
        assertEquals(1, db.sqlInt("SELECT count(DISTINCT tx) FROM sql_applied_changes WHERE account_key = '" + key + "'"),
                "one transaction for the poll");
        assertEquals(3, db.sqlInt("SELECT count(*) FROM processed_events WHERE consumer = '" + CONSUMER + "' AND event_id IN ('"
                + before + "', '" + twice + "', '" + last + "')"));
    }

    /**
     * A poll with an event that fails for good: its transaction rolls back, and the events are then applied
     * one by one, the others once each and the failing one parked, once.
     */
    @Test
    void poisonedAmongAPoll_othersAppliedOnceEach_poisonedParked() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = "poisoned-" + UUID.randomUUID() + "@acme.test";
        SqlAccountChangesHandler.POISONED.add(key + "/3");
        List<String> ids;
        String applied = "SELECT count(*) FROM sql_applied_changes WHERE account_key = '" + key + "'";
        try {
            ids = sendInOneBatch(key).ids();
            db.awaitSql(applied, 4, Duration.ofSeconds(30));
            org.countersign.testing.Await.until(() -> parked(key, 3) > 0, "the poisoned change is parked");
        } finally {
            SqlAccountChangesHandler.POISONED.remove(key + "/3");
        }
        assertEquals(1, parked(key, 3), "the poisoned event is parked, once");
        assertEquals(4, db.sqlInt(applied));
        assertEquals(0, db.sqlInt(applied + " AND seq = 3"));
        assertEquals(4, db.sqlInt("SELECT count(DISTINCT tx) FROM sql_applied_changes WHERE account_key = '" + key + "'"),
                "each on its own after the poll's transaction rolled back");
        assertEquals(4, db.sqlInt("SELECT count(*) FROM processed_events WHERE consumer = '" + CONSUMER + "' AND event_id IN ('"
                + String.join("', '", ids) + "')"));
    }

    /** The events sent: their ids and where Kafka put them, in seq order. */
    private record Sent(List<String> ids, List<RecordMetadata> records) {
    }

    /** Five changes of one key, seq 1 to 5, in one batch of the producer, so that one fetch, one poll, brings them. */
    private Sent sendInOneBatch(String key) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int seq = 1; seq <= 5; seq++) {
            ids.add(UUID.randomUUID().toString());
        }
        return sendInOneBatch(key, ids, List.of(1, 2, 3, 4, 5));
    }

    /** Changes of one key with these ids and seqs, in one batch of the producer. */
    private Sent sendInOneBatch(String key, List<String> ids, List<Integer> seqs) throws Exception {
        String topic = prefix + SqlAccountChangesHandler.TYPE.topic();
        List<RecordMetadata> records = new ArrayList<>();
        try (KafkaProducer<String, CloudEvent> producer = new EventsFixtures(jdbcUrl, bootstrap).cloudEventProducer(500)) {
            // The topic's metadata first: the first send would wait for it, and the batch could leave without the rest.
            producer.partitionsFor(topic);
            List<java.util.concurrent.Future<RecordMetadata>> pending = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                pending.add(producer.send(new ProducerRecord<>(topic, key, EventsFixtures.accountChange(ids.get(i), key, seqs.get(i)))));
            }
            producer.flush();
            for (var future : pending) {
                records.add(future.get());
            }
        }
        return new Sent(ids, records);
    }

    /** The records on the dead-letter topic with this key's change of this seq (the value is the event's data). */
    private int parked(String key, int seq) {
        return org.countersign.testing.TopicReader.readAll(bootstrap, prefix + Topics.DEAD_LETTERS, r -> {
            String value = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
            return value.contains(key) && value.contains("\"seq\":" + seq + "}");
        }).size();
    }

    /**
     * Records that are none of the handler's business write nothing, not even a dedup record; their offsets
     * are committed all the same (within about a second, not poll by poll), so that a restart or a new
     * owner does not read them again. One that breaks its schema is not parked either: checking and parking
     * it is the business of a consumer it concerns.
     */
    @Test
    void passedOverRecords_writeNothing_theirOffsetsCommittedAllTheSame() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = SqlAccountChangesHandler.ELSEWHERE + UUID.randomUUID() + "@acme.test";
        String topic = prefix + SqlAccountChangesHandler.TYPE.topic();
        List<String> ids = new ArrayList<>();
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, CloudEvent> producer = db.cloudEventProducer()) {
            for (int seq : new int[] {1, 2, 3, 0}) { // 0 breaks the schema's minimum of 1
                String id = UUID.randomUUID().toString();
                ids.add(id);
                sent.add(producer.send(new ProducerRecord<>(topic, key, EventsFixtures.accountChange(id, key, seq))).get());
            }
        }
        TopicPartition partition = new TopicPartition(topic, sent.get(0).partition());
        Instant deadline = Instant.now().plusSeconds(30);
        while (committed(partition) <= sent.get(3).offset() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertTrue(committed(partition) > sent.get(3).offset(), "the passed-over records' offsets are committed");
        assertEquals(0, org.countersign.testing.TopicReader.readAll(bootstrap, prefix + Topics.DEAD_LETTERS,
                r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains(key)).size(),
                "the passed-over record that breaks its schema is not parked");
        assertEquals(0, db.sqlInt("SELECT count(*) FROM processed_events WHERE consumer = '" + CONSUMER + "' AND event_id IN ('"
                + String.join("', '", ids) + "')"), "no dedup record for what was passed over");
        assertEquals(0, db.sqlInt("SELECT count(*) FROM sql_applied_changes WHERE account_key = '" + key + "'"));
    }

    /**
     * Passed-over records before a record that must wait, on one partition: their offsets go with the commit
     * made before the retry's seek, up to the waiting record and not beyond; and a record whose handler cannot
     * even tell whether it concerns it is parked, while the consumer goes on.
     */
    @Test
    void passedOverThenHeld_committedUpToTheHeldOne_undecidableParked() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = "mixed-" + UUID.randomUUID() + "@acme.test";
        String topic = prefix + SqlAccountChangesHandler.TYPE.topic();
        String undecidable = SqlAccountChangesHandler.UNDECIDABLE + UUID.randomUUID();
        SqlAccountChangesHandler.HELD.add(key + "/1");
        int attemptsBefore = SqlAccountChangesHandler.HELD_ATTEMPTS.get();
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, CloudEvent> producer = db.cloudEventProducer()) {
            for (String accountKey : List.of(SqlAccountChangesHandler.ELSEWHERE + "a", undecidable, SqlAccountChangesHandler.ELSEWHERE + "b",
                    key)) {
                sent.add(producer.send(new ProducerRecord<>(topic, key, EventsFixtures.accountChange(UUID.randomUUID().toString(),
                        accountKey, 1))).get());
            }
        }
        TopicPartition partition = new TopicPartition(topic, sent.get(0).partition());
        String applied = "SELECT count(*) FROM sql_applied_changes WHERE account_key = '" + key + "'";
        try {
            awaitHeldAttempts(attemptsBefore + 2);
            awaitCommitted(partition, sent.get(3).offset());
            assertEquals(0, db.sqlInt(applied));
        } finally {
            SqlAccountChangesHandler.HELD.remove(key + "/1");
        }
        db.awaitSql(applied, 1, Duration.ofSeconds(30));
        awaitCommitted(partition, sent.get(3).offset() + 1);
        assertEquals(1, org.countersign.testing.TopicReader.readAll(bootstrap, prefix + Topics.DEAD_LETTERS,
                r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains(undecidable)).size(),
                "the undecidable record is parked, once");
    }

    private void awaitHeldAttempts(int atLeast) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (SqlAccountChangesHandler.HELD_ATTEMPTS.get() < atLeast && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertTrue(SqlAccountChangesHandler.HELD_ATTEMPTS.get() >= atLeast, "the held change was retried");
    }

    private void awaitCommitted(TopicPartition partition, long offset) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        long last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = committed(partition);
            if (last == offset) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(offset, last, "the consumer group's committed offset");
    }

    private long committed(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(prefix + "countersign." + CONSUMER)
                    .partitionsToOffsetAndMetadata().get().get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }
}
