package org.countersign.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.countersign.events.app.AccountChanged;
import org.countersign.events.app.AccountChangesHandler;
import org.countersign.events.app.AccountService;
import org.countersign.testing.SharedStack;
import org.countersign.testing.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Consumers outlive a database outage and a stuck handler, each longer than Kafka's
 * max.poll.interval.ms: they stay alive (liveness), and every event is applied exactly once.
 *
 * <p>The profile shortens max.poll.interval.ms to 6 s, so that the outage (12 s by default) is
 * twice as long without a slow test. {@code -Dcountersign.fault.outage=PT6M} runs the outage the
 * issue describes at full length, still beyond any max.poll.interval.ms of the profile.
 */
@QuarkusTest
@TestProfile(ConsumerOutageTest.ShortPollInterval.class)
class ConsumerOutageTest {

    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(6);
    private static final String CONSUMER = "events-test.account-changes";

    public static class ShortPollInterval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("countersign.events.consumers.max-poll-interval", MAX_POLL_INTERVAL.toSeconds() + "s");
        }
    }

    @Inject
    AccountService accounts;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    String prefix;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void databaseDownTwiceMaxPollInterval_consumerStaysInGroup_eachEventAppliedOnceInOrder() throws Exception {
        Duration outage = Duration.parse(System.getProperty("countersign.fault.outage", "PT12S"));
        assertTrue(outage.compareTo(MAX_POLL_INTERVAL) > 0, "the outage must outlast max.poll.interval.ms");
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String run = UUID.randomUUID().toString().substring(0, 8);
        int keys = 5;
        for (int i = 0; i < 10; i++) {
            change("before" + (i % keys) + "-" + run + "@acme.test");
        }
        String appliedBefore = "SELECT count(*) FROM applied_changes WHERE account_key LIKE 'before%-" + run + "@acme.test'";
        db.awaitSql(appliedBefore, 10, Duration.ofSeconds(30));
        long logStart = logLength();

        int sent = 0;
        int[] seq = new int[keys];
        SharedStack.get().stopPostgres();
        try (KafkaProducer<String, CloudEvent> producer = db.cloudEventProducer()) {
            // Events keep coming while the database is away (straight to Kafka: the outbox needs the database).
            Instant end = Instant.now().plus(outage);
            while (Instant.now().isBefore(end)) {
                int k = sent % keys;
                String key = "during" + k + "-" + run + "@acme.test";
                producer.send(new ProducerRecord<>(prefix + Topics.REGISTRATIONS, key, EventsFixtures.event(
                        UUID.randomUUID().toString(), AccountChanged.TYPE.ceType(),
                        "{\"accountKey\":\"" + key + "\",\"seq\":" + (++seq[k]) + "}"))).get();
                sent++;
                Thread.sleep(250);
            }
        } finally {
            SharedStack.get().restartPostgres();
        }
        assertTrue(sent > keys, "events flowed during the outage");

        String applied = "SELECT count(*) FROM applied_changes WHERE account_key LIKE 'during%-" + run + "@acme.test'";
        db.awaitSql(applied, sent, Duration.ofMinutes(3));
        assertEquals(sent, (int) db.sqlInt("SELECT count(DISTINCT event_id) FROM applied_changes WHERE account_key LIKE 'during%-"
                + run + "@acme.test'"), "each event applied once");
        assertEquals(0, (int) db.sqlInt(applied + " AND NOT in_order"), "each key's events were applied in order");
        for (int k = 0; k < keys; k++) {
            assertEquals(seq[k], (int) db.sqlInt("SELECT max(seq) FROM applied_changes WHERE account_key = 'during" + k
                    + "-" + run + "@acme.test'"));
        }
        assertTrue(TopicReader.readAll(bootstrap, prefix + Topics.DEAD_LETTERS,
                r -> r.key() != null && r.key().endsWith("-" + run + "@acme.test")).isEmpty(), "nothing was parked");
        assertConsumerAlive();

        String log = logSince(logStart);
        assertTrue(log.contains("Consumer " + CONSUMER + ": ReceivedEvent"), "the consumer met the outage:\n" + log);
        assertTrue(log.contains("Consumer " + CONSUMER + ": recovered"), "and recovered from it:\n" + log);
        assertFalse(log.contains("Consumer " + CONSUMER + ": its Kafka consumer failed"),
                "it polled on while retrying, so it never left its group:\n" + log);
    }

    @Test
    void handlerStuckLongerThanMaxPollInterval_consumerRebuilt_eventAppliedOnce() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = "stuck-" + UUID.randomUUID() + "@acme.test";
        String stuckId = UUID.randomUUID().toString();
        long logStart = logLength();
        try (KafkaProducer<String, CloudEvent> producer = db.cloudEventProducer()) {
            long stall = MAX_POLL_INTERVAL.plusSeconds(5).toMillis();
            producer.send(new ProducerRecord<>(prefix + Topics.REGISTRATIONS, key, EventsFixtures.event(stuckId,
                    AccountChanged.TYPE.ceType(), "{\"accountKey\":\"" + key + "\",\"seq\":1,\"note\":\""
                            + AccountChangesHandler.STALL + stall + "\"}"))).get();
            producer.send(new ProducerRecord<>(prefix + Topics.REGISTRATIONS, key, EventsFixtures.event(
                    UUID.randomUUID().toString(), AccountChanged.TYPE.ceType(),
                    "{\"accountKey\":\"" + key + "\",\"seq\":2}"))).get();
        }
        db.awaitSql("SELECT count(*) FROM applied_changes WHERE account_key = '" + key + "'", 2, Duration.ofMinutes(2));
        assertEquals(1, (int) db.sqlInt("SELECT count(*) FROM applied_changes WHERE event_id = '" + stuckId + "'"));
        assertEquals(0, (int) db.sqlInt("SELECT count(*) FROM applied_changes WHERE account_key = '" + key + "' AND NOT in_order"));
        assertConsumerAlive();
        String log = logSince(logStart);
        assertTrue(log.contains("Consumer " + CONSUMER + ": its Kafka consumer failed"),
                "the stuck consumer lost its group and was rebuilt:\n" + log);
        assertTrue(log.contains("Consumer " + CONSUMER + ": rejoined its group"), log);
    }

    @Test
    void handlerFailingEveryTime_parkedAfterMaxAttempts_laterEventsApplied() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = "failing-" + UUID.randomUUID() + "@acme.test";
        String failingId = UUID.randomUUID().toString();
        try (KafkaProducer<String, CloudEvent> producer = db.cloudEventProducer()) {
            producer.send(new ProducerRecord<>(prefix + Topics.REGISTRATIONS, key, EventsFixtures.event(failingId,
                    AccountChanged.TYPE.ceType(), "{\"accountKey\":\"" + key + "\",\"seq\":1,\"note\":\""
                            + AccountChangesHandler.FAIL + "\"}"))).get();
            producer.send(new ProducerRecord<>(prefix + Topics.REGISTRATIONS, key, EventsFixtures.event(
                    UUID.randomUUID().toString(), AccountChanged.TYPE.ceType(),
                    "{\"accountKey\":\"" + key + "\",\"seq\":1}"))).get();
        }
        db.awaitSql("SELECT count(*) FROM applied_changes WHERE account_key = '" + key + "'", 1, Duration.ofSeconds(60));
        var letter = TopicReader.await(bootstrap, prefix + Topics.DEAD_LETTERS, r -> key.equals(r.key()), Duration.ofSeconds(30));
        assertEquals("handler-failed: java.lang.IllegalStateException", TopicReader.header(letter, "cs_dlq_reason"));
        assertEquals(failingId, TopicReader.header(letter, "ce_id"));
        assertEquals(0, (int) db.sqlInt("SELECT count(*) FROM processed_events WHERE event_id = '" + failingId + "'"),
                "the failed attempts left nothing behind");
        assertEquals(1, TopicReader.readAll(bootstrap, prefix + Topics.DEAD_LETTERS, r -> key.equals(r.key())).size(),
                "parked once, not retried forever");
        assertConsumerAlive();
    }

    private static void assertConsumerAlive() {
        given().when().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("event-consumers"))
                .body("checks.find { it.name == 'event-consumers' }.status", equalTo("UP"));
    }

    private void change(String key) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> accounts.change(key, "before the outage", null, false));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static long logLength() throws Exception {
        return Files.size(EventsFixtures.applicationLog());
    }

    private static String logSince(long start) throws Exception {
        byte[] all = Files.readAllBytes(EventsFixtures.applicationLog());
        return new String(all, (int) Math.min(start, all.length), (int) Math.max(0, all.length - start), StandardCharsets.UTF_8);
    }
}
