package org.countersign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.countersign.events.app.SqlAccountChangesHandler;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code countersign.events.consumers.batch-wait}: after a poll that brought events, a consumer lets the next ones
 * gather before it polls again, so that events sent one by one, each acknowledged before the next, are applied
 * together instead of one transaction each; unless a request waits for the handler's events. The wait is long here
 * (six seconds) so that the sends always fall inside it, and so that an event that waited for it stands out.
 */
@QuarkusTest
@TestProfile(ConsumerBatchWaitTest.LongBatchWait.class)
class ConsumerBatchWaitTest {

    public static class LongBatchWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("countersign.events.consumers.batch-wait", "6s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    String prefix;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    /**
     * The first event is applied alone; the four sent while the consumer waits come in at most two polls (the
     * Kafka consumer fetches the next batch before its poll returns, so the first of them may arrive alone).
     * Without the wait the consumer, idle in its long poll, takes them as they come, in three or four transactions.
     */
    @Test
    void eventsSentOneByOne_whileTheConsumerWaits_appliedTogether() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = "gathered-" + UUID.randomUUID() + "@acme.test";
        String topic = prefix + SqlAccountChangesHandler.TYPE.topic();
        String applied = "SELECT count(*) FROM sql_applied_changes WHERE account_key = '" + key + "'";
        try (KafkaProducer<String, CloudEvent> producer = db.cloudEventProducer()) {
            send(producer, topic, key, 1);
            db.awaitSql(applied, 1, Duration.ofSeconds(30));
            for (int seq = 2; seq <= 5; seq++) {
                send(producer, topic, key, seq);
            }
        }
        db.awaitSql(applied, 5, Duration.ofSeconds(30));
        assertEquals(5, db.sqlInt(applied + " AND in_order"), "each once, in order");
        int transactions = db.sqlInt("SELECT count(DISTINCT tx) FROM sql_applied_changes WHERE account_key = '" + key
                + "' AND seq > 1");
        assertTrue(transactions <= 2, "the four sent during the wait took " + transactions + " transactions");
    }

    /**
     * A request waits for the handler's events ({@link EventHandler#awaited}): an event sent while the consumer
     * gathers is applied at once, well within the three seconds given here, not after the six-second wait.
     */
    @Test
    void whileARequestAwaitsTheHandlersEvents_theConsumerDoesNotGather() throws Exception {
        EventsFixtures db = new EventsFixtures(jdbcUrl, bootstrap);
        String key = "awaited-" + UUID.randomUUID() + "@acme.test";
        String topic = prefix + SqlAccountChangesHandler.TYPE.topic();
        String applied = "SELECT count(*) FROM sql_applied_changes WHERE account_key = '" + key + "'";
        try (KafkaProducer<String, CloudEvent> producer = db.cloudEventProducer()) {
            send(producer, topic, key, 1);
            db.awaitSql(applied, 1, Duration.ofSeconds(30));
            // The consumer applied a poll of one event and now gathers for six seconds.
            SqlAccountChangesHandler.awaited = true;
            send(producer, topic, key, 2);
            db.awaitSql(applied, 2, Duration.ofSeconds(3));
        } finally {
            SqlAccountChangesHandler.awaited = false;
        }
        assertEquals(2, db.sqlInt(applied + " AND in_order"));
    }

    private static void send(KafkaProducer<String, CloudEvent> producer, String topic, String key, int seq) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, EventsFixtures.accountChange(UUID.randomUUID().toString(), key, seq))).get();
    }
}
