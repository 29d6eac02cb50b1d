package org.countersign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.commons.codec.binary.Base32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.countersign.events.app.AccountChanged;
import org.countersign.events.app.AccountService;
import org.countersign.events.internal.AbandonedGroupMember;
import org.countersign.events.internal.EventSchemas;
import org.countersign.secrets.Secret;
import org.countersign.testing.SharedStack;
import org.countersign.testing.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The guarantees of the events backbone, on a real broker and database. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventsBackboneTest {

    @Inject
    AccountService accounts;

    @Inject
    EventSchemas schemas;

    @Inject
    EventsConfig events;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    String prefix;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    private String topic() {
        return prefix + Topics.REGISTRATIONS;
    }

    @Test
    @Order(1)
    void committedChange_publishedAsBinaryCloudEventKeyedByUser() throws Exception {
        String key = "alice-" + UUID.randomUUID() + "@acme.test";
        change(key, "hello", null, false);
        ConsumerRecord<String, byte[]> record = await(topic(), r -> key.equals(r.key()), Duration.ofSeconds(30));
        assertEquals("1.0", header(record, "ce_specversion"));
        assertNotNull(UUID.fromString(header(record, "ce_id")));
        assertEquals("/countersign/events-test", header(record, "ce_source"));
        assertEquals(AccountChanged.TYPE.ceType(), header(record, "ce_type"));
        assertEquals("account/" + key, header(record, "ce_subject"));
        assertEquals(AccountChanged.TYPE.dataSchema().toString(), header(record, "ce_dataschema"));
        assertTrue(OffsetDateTime.parse(header(record, "ce_time")).toInstant().isAfter(Instant.now().minusSeconds(60)));
        assertEquals("application/json", header(record, "content-type"));
        assertEquals(List.of(), schemas.violations(AccountChanged.TYPE, mapper.readTree(record.value())));
    }

    @Test
    @Order(2)
    void rolledBackChange_publishesNothing() throws Exception {
        String key = "bob-" + UUID.randomUUID() + "@acme.test";
        try {
            change(key, "rolled back", null, true);
        } catch (IllegalStateException expected) {
            // The transaction rolled back, event included.
        }
        change(key, "committed", null, false);
        // The relay publishes in commit order: once the committed one is there, a rolled-back one would be too.
        await(topic(), r -> key.equals(r.key()), Duration.ofSeconds(30));
        List<ConsumerRecord<String, byte[]>> forKey = readAll(topic(), r -> key.equals(r.key()));
        assertEquals(1, forKey.size());
        assertTrue(new String(forKey.get(0).value(), StandardCharsets.UTF_8).contains("\"committed\""));
        assertEquals(1, (int) sqlInt("SELECT count(*) FROM outbox_events WHERE event_key = '" + key + "'"));
    }

    @Test
    @Order(3)
    void duplicateDelivery_appliedOnce() throws Exception {
        String key = "carol-" + UUID.randomUUID() + "@acme.test";
        String id = UUID.randomUUID().toString();
        CloudEvent event = event(id, AccountChanged.TYPE.ceType(), "{\"accountKey\":\"" + key + "\",\"seq\":1}");
        try (KafkaProducer<String, CloudEvent> producer = cloudEventProducer()) {
            producer.send(new ProducerRecord<>(topic(), key, event)).get();
            producer.send(new ProducerRecord<>(topic(), key, event)).get();
            producer.send(new ProducerRecord<>(topic(), key, event(UUID.randomUUID().toString(), AccountChanged.TYPE.ceType(),
                    "{\"accountKey\":\"" + key + "\",\"seq\":2}"))).get();
        }
        awaitSql("SELECT count(*) FROM applied_changes WHERE account_key = '" + key + "'", 2);
        assertEquals(1, (int) sqlInt("SELECT count(*) FROM applied_changes WHERE event_id = '" + id + "'"));
        assertEquals(1, (int) sqlInt("SELECT count(*) FROM processed_events WHERE event_id = '" + id + "'"));
    }

    @Test
    @Order(4)
    void poisonEvents_deadLetteredWithReason_consumerGoesOn() throws Exception {
        String key = "dave-" + UUID.randomUUID() + "@acme.test";
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new ByteArraySerializer());
             KafkaProducer<String, CloudEvent> producer = cloudEventProducer()) {
            raw.send(new ProducerRecord<>(topic(), key, "not a cloud event".getBytes())).get();
            // Another consumer's type is left to that consumer, read no further than its ce_type header: even broken,
            // it is that consumer's to park, not this one's.
            ProducerRecord<String, byte[]> othersBroken = new ProducerRecord<>(topic(), key, "not a cloud event either".getBytes());
            othersBroken.headers().add("ce_type", org.countersign.events.payload.RegistrationPending.TYPE.ceType()
                    .getBytes(StandardCharsets.UTF_8));
            raw.send(othersBroken).get();
            producer.send(new ProducerRecord<>(topic(), key, event(UUID.randomUUID().toString(),
                    "org.countersign.test.never-heard-of.v1", "{}"))).get();
            producer.send(new ProducerRecord<>(topic(), key, event(UUID.randomUUID().toString(), AccountChanged.TYPE.ceType(),
                    "{\"accountKey\":\"" + key + "\",\"seq\":\"one\"}"))).get();
            producer.send(new ProducerRecord<>(topic(), key, event(UUID.randomUUID().toString(), AccountChanged.TYPE.ceType(),
                    "{\"accountKey\":\"" + key + "\",\"seq\":1}"))).get();
        }
        awaitSql("SELECT count(*) FROM applied_changes WHERE account_key = '" + key + "'", 1);
        String dlq = prefix + Topics.DEAD_LETTERS;
        await(dlq, r -> key.equals(r.key()) && header(r, "cs_dlq_reason").startsWith("schema-violation"), Duration.ofSeconds(30));
        List<String> reasons = readAll(dlq, r -> key.equals(r.key())).stream()
                .map(r -> header(r, "cs_dlq_reason").split(":")[0]).sorted().toList();
        assertEquals(List.of("not-a-cloudevent", "schema-violation", "unknown-type"), reasons);
        ConsumerRecord<String, byte[]> letter = readAll(dlq, r -> key.equals(r.key())).get(0);
        assertEquals("events-test.account-changes", header(letter, "cs_dlq_consumer"));
        assertEquals(topic(), header(letter, "cs_dlq_topic"));
    }

    @Test
    @Order(5)
    void sealedSecret_neverInRecordsOrLogs_openedByConsumer() throws Exception {
        byte[] secretBytes = org.countersign.secrets.Randomness.bytes(20);
        String key = "erin-" + UUID.randomUUID() + "@acme.test";
        change(key, "with a secret", Secret.copyOf(secretBytes), false);
        awaitSql("SELECT count(*) FROM applied_changes WHERE account_key = '" + key + "'", 1);
        String hash = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(secretBytes));
        assertEquals(1, (int) sqlInt("SELECT count(*) FROM applied_changes WHERE secret_hash = '" + hash + "'"),
                "the consumer opened the sealed value with its private key");

        List<String> forms = SecretForms.of(secretBytes);
        for (String t : List.of(topic(), prefix + Topics.DEAD_LETTERS)) {
            for (ConsumerRecord<String, byte[]> record : readAll(t, r -> true)) {
                String text = new String(record.value() == null ? new byte[0] : record.value(), StandardCharsets.ISO_8859_1)
                        + record.headers().toString();
                for (String form : forms) {
                    assertFalse(text.contains(form), "a raw record of " + t + " contains the secret");
                }
                assertFalse(SecretForms.containsBytes(record.value(), secretBytes), "raw secret bytes in " + t);
            }
        }
        String log = Files.readString(EventsFixtures.applicationLog());
        assertFalse(log.isEmpty(), "the log was captured");
        for (String form : forms) {
            assertFalse(log.contains(form), "the log contains the secret");
        }
    }

    @Test
    @Order(6)
    void kcat_readsEventsWithCloudEventHeaders() throws Exception {
        String key = "frank-" + UUID.randomUUID() + "@acme.test";
        change(key, "for kcat", null, false);
        await(topic(), r -> key.equals(r.key()), Duration.ofSeconds(30));
        Path script = Path.of(System.getProperty("countersign.repo"), "scripts", "kcat-events.sh");
        Process kcat = new ProcessBuilder("bash", script.toString(), "-b", bootstrap, "-t", topic(), "-e")
                .redirectErrorStream(false).start();
        String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kcat.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, kcat.exitValue(), new String(kcat.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        String block = java.util.Arrays.stream(output.split("\n\n")).filter(b -> b.contains("key=" + key)).findFirst()
                .orElseThrow(() -> new AssertionError("kcat did not show the event:\n" + output));
        assertTrue(block.contains("ce_type=" + AccountChanged.TYPE.ceType()), block);
        assertTrue(block.contains("ce_source=/countersign/events-test"), block);
        assertTrue(block.contains("ce_specversion=1.0"), block);
        assertTrue(block.contains("\"note\":\"for kcat\""), block);
    }

    /**
     * A replica killed while it held some of the topic's partitions (in a JVM of its own, with a consumer loop's
     * settings) gives them up after the session timeout, and the events on them are applied by the consumer
     * left. With Kafka's default session of 45 s they stood still past this test's 30 s wait.
     */
    @Test
    @Order(90)
    void replicaKilledHoldingPartitions_theOthersTakeThemOver_eventsApplied() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Process replica = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), AbandonedGroupMember.class.getName(), bootstrap,
                prefix + "countersign.events-test.account-changes", topic(), events.consumers().maxPollInterval().toString(),
                events.consumers().sessionTimeout().toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(replica.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> assigned = CompletableFuture.supplyAsync(() -> out.lines()
                    .filter(line -> line.startsWith("assigned")).findFirst().orElse("ended"));
            String line = assigned.get(60, TimeUnit.SECONDS);
            assertTrue(line.startsWith("assigned"), "the second replica joined the group: " + line);
        } finally {
            replica.destroyForcibly().waitFor();
        }
        int keys = 12;
        for (int i = 0; i < keys; i++) {
            change("d" + i + "-" + run + "@acme.test", "after the crash", null, false);
        }
        awaitSql("SELECT count(*) FROM applied_changes WHERE account_key LIKE '%-" + run + "@acme.test'", keys);
    }

    /** Runs last: it stops the shared broker for more than 30 seconds. */
    @Test
    @Order(100)
    void kafkaStopped30s_1000Changes_eachAppliedOnceInOrder() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int keys = 20;
        int changes = 1000;
        SharedStack.get().killKafka();
        Instant stopped = Instant.now();
        try {
            for (int i = 0; i < changes; i++) {
                change("k" + (i % keys) + "-" + run + "@acme.test", "while Kafka is down", null, false);
            }
            assertEquals(changes, (int) sqlInt("SELECT count(*) FROM outbox_events WHERE published_at IS NULL"
                    + " AND event_key LIKE '%-" + run + "@acme.test'"), "every event waits in the outbox");
            Duration down = Duration.between(stopped, Instant.now());
            if (down.compareTo(Duration.ofSeconds(31)) < 0) {
                Thread.sleep(Duration.ofSeconds(31).minus(down).toMillis());
            }
        } finally {
            SharedStack.get().restartKafka();
        }
        String applied = "SELECT count(*) FROM applied_changes WHERE account_key LIKE '%-" + run + "@acme.test'";
        awaitSql(applied, changes, Duration.ofMinutes(3));
        assertEquals(0, (int) sqlInt(applied + " AND NOT in_order"), "each key's events were applied in order");
        assertEquals(changes, (int) sqlInt("SELECT count(DISTINCT event_id) FROM applied_changes WHERE account_key LIKE '%-"
                + run + "@acme.test'"));
        for (int k = 0; k < keys; k++) {
            assertEquals(changes / keys, (int) sqlInt("SELECT max(seq) FROM applied_changes WHERE account_key = 'k" + k
                    + "-" + run + "@acme.test'"));
        }
    }

    // ---- helpers

    private void change(String key, String note, Secret secret, boolean fail) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> accounts.change(key, note, secret, fail));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private EventsFixtures fixtures() {
        return new EventsFixtures(jdbcUrl, bootstrap);
    }

    private KafkaProducer<String, CloudEvent> cloudEventProducer() {
        return fixtures().cloudEventProducer();
    }

    private static CloudEvent event(String id, String type, String json) {
        return EventsFixtures.event(id, type, json);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return TopicReader.header(record, name);
    }

    private ConsumerRecord<String, byte[]> await(String topic, Predicate<ConsumerRecord<String, byte[]>> match, Duration timeout)
            throws InterruptedException {
        return TopicReader.await(bootstrap, topic, match, timeout);
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic, Predicate<ConsumerRecord<String, byte[]>> match) {
        return TopicReader.readAll(bootstrap, topic, match);
    }

    private Integer sqlInt(String query) throws Exception {
        return fixtures().sqlInt(query);
    }

    private void awaitSql(String query, int expected) throws Exception {
        fixtures().awaitSql(query, expected, Duration.ofSeconds(30));
    }

    private void awaitSql(String query, int expected, Duration timeout) throws Exception {
        fixtures().awaitSql(query, expected, timeout);
    }

    /** The ways a secret could be written down: hex, base64, base64url, base32, raw. */
    static final class SecretForms {
        static List<String> of(byte[] secret) {
            return List.of(HexFormat.of().formatHex(secret), HexFormat.of().withUpperCase().formatHex(secret),
                    Base64.getEncoder().withoutPadding().encodeToString(secret),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(secret), base32(secret));
        }

        static boolean containsBytes(byte[] haystack, byte[] needle) {
            if (haystack == null) {
                return false;
            }
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        private static String base32(byte[] data) {
            return new Base32().encodeAsString(data).replace("=", "");
        }
    }
}
