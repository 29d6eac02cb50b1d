package org.countersign.launcher;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.countersign.events.relay.OutboxRelay;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The events backbone under load, with the services' own relay code: latency from a committed
 * state change to a consumer at a fixed rate, and the sustained outbox throughput; beside them, in
 * the same run, what the broker takes from a bare idempotent producer and what PostgreSQL takes in
 * bare inserts of the same rows, the two limits the relay sits between.
 */
final class EventsBenchmark implements BenchCommand.Benchmark {

    private static final int RATE = 1_000;
    private static final Duration LATENCY_PHASE = Duration.ofSeconds(20);
    private static final int THROUGHPUT_EVENTS = 30_000;
    private static final int KEYS = 500;
    private static final String PAYLOAD = "{\"registrationId\":\"%s\",\"userId\":\"user-%d\",\"domain\":\"bench.example\","
            + "\"serialNumber\":\"SN-%08d\",\"expiredAt\":\"2026-11-23T10:15:00Z\"}";

    @Override
    public String name() {
        return "events";
    }

    @Override
    public String description() {
        return "commit-to-consumer latency at " + RATE + " events/s and outbox throughput, beside bare Kafka and PostgreSQL";
    }

    @Override
    public Map<String, Object> run(Workspace workspace, Properties state) throws Exception {
        String bootstrap = state.getProperty("kafka");
        String jdbc = workspace.env().getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:" + state.getProperty("postgres"));
        String user = workspace.env().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres");
        String password = workspace.env().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String schema = "bench_events_" + run;
        String topic = "bench.events." + run;
        Map<String, Object> figures = new LinkedHashMap<>();

        try (Connection admin = DriverManager.getConnection(jdbc, user, password); Statement s = admin.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path TO " + schema);
            s.execute(Files.readString(workspace.repo().resolve("libs/events/src/main/resources/db/events/R__countersign_events.sql")));
        }
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            kafka.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbc);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setCurrentSchema(schema);

        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        // Matched after the phase: the relay can deliver an event before the inserting thread has noted its commit.
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY), false);
        Map<String, Object> producerConfig = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                "enable.idempotence", true, "linger.ms", 2, "max.block.ms", 5000, "delivery.timeout.ms", 15000, "request.timeout.ms", 5000));
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serializer);
             ReusingDataSource pool = new ReusingDataSource(dataSource);
             OutboxRelay relay = new OutboxRelay(pool, producer, "/countersign/bench",
                     new OutboxRelay.Options(Duration.ofSeconds(1), 500, Duration.ofDays(1), Duration.ofSeconds(5),
                             // The services' default, countersign.events.relay.batch-wait.
                             Duration.ofMillis(10)));
             Receiver receiver = new Receiver(bootstrap, topic, receivedAt)) {
            relay.start();
            receiver.start();

            // Latency: one event per transaction at a fixed rate, as a service writes them.
            System.err.printf(Locale.ROOT, "latency phase: %d events/s for %d s...%n", RATE, LATENCY_PHASE.toSeconds());
            int sent = paced(dataSource, topic, RATE, LATENCY_PHASE, committedAt, 0);
            receiver.awaitCount(sent, Duration.ofSeconds(60));
            long[] sorted = committedAt.entrySet().stream().filter(e -> receivedAt.containsKey(e.getKey()))
                    .mapToLong(e -> Math.max(0, receivedAt.get(e.getKey()) - e.getValue())).sorted().toArray();
            figures.put("latency rate events/s", RATE);
            figures.put("latency events", sent);
            figures.put("latency events received", sorted.length);
            figures.put("latency p50 ms", ms(percentile(sorted, 0.50)));
            figures.put("latency p99 ms", ms(percentile(sorted, 0.99)));
            figures.put("latency max ms", ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));

            // Throughput: a backlog written as fast as PostgreSQL takes it, drained by the relay.
            System.err.printf(Locale.ROOT, "throughput phase: %d events...%n", THROUGHPUT_EVENTS);
            int before = receiver.count();
            long start = System.nanoTime();
            double insertSeconds = bulkInsert(dataSource, topic, THROUGHPUT_EVENTS, sent);
            receiver.awaitCount(before + THROUGHPUT_EVENTS, Duration.ofMinutes(3));
            double seconds = (System.nanoTime() - start) / 1e9;
            double relayRate = THROUGHPUT_EVENTS / seconds;
            figures.put("outbox throughput events/s (commit to consumer)", Math.round(relayRate));

            // The limits, measured now on the same machine.
            double kafkaRate = bareKafka(producerConfig, topic, THROUGHPUT_EVENTS);
            figures.put("limit: bare idempotent producer records/s", Math.round(kafkaRate));
            figures.put("limit: bare PostgreSQL inserts/s (same rows, batches of 100)", Math.round(THROUGHPUT_EVENTS / insertSeconds));
            double limit = Math.min(kafkaRate, THROUGHPUT_EVENTS / insertSeconds);
            figures.put("outbox / lower limit", String.format(Locale.ROOT, "%.0f %%", 100 * relayRate / limit));
            figures.put("goal", "p99 <= 200 ms at 1000 events/s");
        } finally {
            try (Connection admin = DriverManager.getConnection(jdbc, user, password); Statement s = admin.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                kafka.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
        return figures;
    }

    private static final String INSERT = "INSERT INTO outbox_events (event_id, topic, event_key, event_type, subject, data_schema,"
            + " occurred_at, payload) VALUES (?::uuid, ?, ?, 'org.countersign.registration.registration-expired.v1', ?,"
            + " 'https://countersign.org/schemas/events/org.countersign.registration.registration-expired.v1.json', now(), ?)";

    /** One event per transaction at {@code rate}; records when each commit returned. */
    private static int paced(PGSimpleDataSource dataSource, String topic, int rate, Duration duration,
                             Map<String, Long> committedAt, int offset) throws Exception {
        int total = (int) (rate * duration.toSeconds());
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
            connection.setAutoCommit(true);
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String id = UUID.randomUUID().toString();
                bind(insert, id, topic, offset + i);
                insert.executeUpdate();
                committedAt.put(id, System.nanoTime());
            }
        }
        return total;
    }

    private static double bulkInsert(PGSimpleDataSource dataSource, String topic, int count, int offset) throws Exception {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                bind(insert, UUID.randomUUID().toString(), topic, offset + i);
                insert.addBatch();
                if (i % 100 == 99) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void bind(PreparedStatement insert, String id, String topic, int n) throws Exception {
        int user = n % KEYS;
        insert.setString(1, id);
        insert.setString(2, topic);
        insert.setString(3, "user-" + user + "@bench.example");
        insert.setString(4, "registration/" + id);
        insert.setString(5, String.format(Locale.ROOT, PAYLOAD, id, user, n));
    }

    private static double bareKafka(Map<String, Object> config, String topic, int count) throws Exception {
        byte[] value = String.format(Locale.ROOT, PAYLOAD, UUID.randomUUID(), 1, 1).getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic + "", "user-" + (i % KEYS) + "@bench.example", value)));
            }
            for (java.util.concurrent.Future<?> send : sends) {
                send.get();
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    /** Reads the bench topic and notes when each event first arrived. */
    private static final class Receiver implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<String, Long> receivedAt;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final CountDownLatch assigned = new CountDownLatch(1);
        private volatile int count;
        private Thread thread;

        Receiver(String bootstrap, String topic, Map<String, Long> receivedAt) {
            this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap), new StringDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            this.receivedAt = receivedAt;
        }

        void start() throws InterruptedException {
            thread = new Thread(() -> {
                assigned.countDown();
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        var header = record.headers().lastHeader("ce_id");
                        if (header != null) {
                            String id = new String(header.value(), StandardCharsets.UTF_8);
                            receivedAt.putIfAbsent(id, now);
                            count++;
                        }
                    }
                }
                consumer.close();
            }, "bench-receiver");
            thread.start();
            assigned.await();
        }

        int count() {
            return count;
        }

        void awaitCount(int expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(5_000);
            }
        }
    }

}
