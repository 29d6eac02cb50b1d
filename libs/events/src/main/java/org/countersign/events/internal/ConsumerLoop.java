package org.countersign.events.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.countersign.events.EventHandler;
import org.countersign.events.EventType;
import org.countersign.events.PoisonEventException;
import org.countersign.events.ReceivedEvent;
import org.jboss.logging.Logger;

/**
 * One handler's consumer: reads its topics on a thread of its own, applies each event in a
 * transaction together with its dedup record, and commits offsets only after that. Retriable
 * failures (the database away) are retried with backoff for as long as they last; anything else is
 * retried a few times, then parked on the dead-letter topic so that the stream goes on.
 */
final class ConsumerLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    static final String DLQ_REASON = "cs_dlq_reason";
    static final String DLQ_CONSUMER = "cs_dlq_consumer";
    static final String DLQ_TOPIC = "cs_dlq_topic";
    static final String DLQ_PARTITION = "cs_dlq_partition";
    static final String DLQ_OFFSET = "cs_dlq_offset";

    private final EventHandler handler;
    private final String consumerName;
    private final Map<String, EventType> types;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final java.util.function.BooleanSupplier topicsReady;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final String deadLetterTopic;
    private final EventSchemas schemas;
    private final ProcessedEvents processed;
    private final ObjectMapper mapper;
    private final int maxAttempts;
    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();
    private volatile boolean running = true;

    ConsumerLoop(EventHandler handler, String consumerName, Map<String, Object> consumerConfig, List<String> topics,
                 KafkaProducer<String, byte[]> deadLetters, String deadLetterTopic, EventSchemas schemas,
                 ProcessedEvents processed, ObjectMapper mapper, int maxAttempts,
                 java.util.function.BooleanSupplier topicsReady) {
        this.topicsReady = topicsReady;
        this.handler = handler;
        this.consumerName = consumerName;
        this.types = handler.types().stream().collect(Collectors.toMap(EventType::ceType, t -> t));
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A topic created after we subscribed would otherwise go unnoticed for the default 5 minutes.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 10_000);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = deadLetterTopic;
        this.schemas = schemas;
        this.processed = processed;
        this.mapper = mapper;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void run() {
        try {
            // Subscribing before the topics exist works, but the first records could wait for a
            // metadata refresh; the service creates its topics at start-up, so wait for that briefly.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (running && !topicsReady.getAsBoolean() && System.nanoTime() < deadline) {
                sleep(Duration.ofMillis(200));
            }
            consumer.subscribe(topics);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!running) {
                        return;
                    }
                    process(record);
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException e) {
            // Shutting down.
        } catch (RuntimeException e) {
            LOG.errorf(e, "Consumer %s stopped", consumerName);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    private void process(ConsumerRecord<String, byte[]> record) {
        ReceivedEvent event;
        try {
            event = parse(record);
        } catch (PoisonEventException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        if (event == null) {
            return;
        }
        int failures = 0;
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                        processed.markProcessed(consumerName, event.id()).chain(fresh -> fresh
                                ? handler.handle(event).replaceWithVoid()
                                : Uni.createFrom().voidItem())));
                return;
            } catch (Throwable e) {
                Throwable cause = rootCause(e);
                if (cause instanceof PoisonEventException) {
                    deadLetter(record, cause.getMessage());
                    return;
                }
                if (Retriable.is(cause)) {
                    LOG.debugf("Consumer %s: %s is retriable (%s); retrying", consumerName, event, cause.getClass().getSimpleName());
                } else if (++failures >= maxAttempts) {
                    LOG.errorf(cause, "Consumer %s: %s failed %d times; parked on the dead-letter topic", consumerName, event, failures);
                    deadLetter(record, "handler-failed: " + cause.getClass().getName());
                    return;
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
            }
        }
    }

    private ReceivedEvent parse(ConsumerRecord<String, byte[]> record) {
        CloudEvent cloudEvent;
        try {
            cloudEvent = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            throw new PoisonEventException("not-a-cloudevent");
        }
        EventType type = types.get(cloudEvent.getType());
        if (type == null) {
            if (org.countersign.events.payload.EventTypes.byCeType(cloudEvent.getType()).isPresent()) {
                // A topic carries many types; the ones this handler does not apply are simply not its business.
                return null;
            }
            throw new PoisonEventException("unknown-type: " + cloudEvent.getType());
        }
        JsonNode data;
        try {
            data = cloudEvent.getData() == null ? null : mapper.readTree(cloudEvent.getData().toBytes());
        } catch (java.io.IOException e) {
            throw new PoisonEventException("data-not-json");
        }
        if (data == null) {
            throw new PoisonEventException("no-data");
        }
        List<String> violations = schemas.violations(type, data);
        if (!violations.isEmpty()) {
            throw new PoisonEventException("schema-violation: " + String.join("; ", violations));
        }
        return new ReceivedEvent(cloudEvent.getId(), type, String.valueOf(cloudEvent.getSource()), cloudEvent.getSubject(),
                cloudEvent.getTime(), record.key(), data, mapper);
    }

    /** Parks a record with the reason; blocks (retrying) while Kafka is away, as the offset must not move before. */
    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(deadLetterTopic, record.key(), record.value());
        for (Header header : record.headers()) {
            letter.headers().add(header);
        }
        letter.headers().add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DLQ_CONSUMER, consumerName.getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DLQ_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DLQ_PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DLQ_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        while (running) {
            try {
                deadLetters.send(letter).get(30, TimeUnit.SECONDS);
                LOG.warnf("Consumer %s parked %s-%d@%d on %s: %s", consumerName, record.topic(), record.partition(),
                        record.offset(), deadLetterTopic, reason.split(":")[0]);
                return;
            } catch (Exception e) {
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && !(cause instanceof PoisonEventException)) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Failures that go away by themselves: the database or the network briefly unavailable. */
    static final class Retriable {
        private static final Set<String> SQL_STATES = Set.of("40001", "40P01", "57P01", "57P03", "53300", "08000",
                "08001", "08003", "08004", "08006");

        private Retriable() {
        }

        static boolean is(Throwable cause) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.io.IOException
                    || cause instanceof io.vertx.core.VertxException && String.valueOf(cause.getMessage()).contains("closed")) {
                return true;
            }
            if (cause instanceof io.vertx.pgclient.PgException pg) {
                return SQL_STATES.contains(pg.getSqlState());
            }
            return cause instanceof java.util.concurrent.TimeoutException;
        }
    }
}
