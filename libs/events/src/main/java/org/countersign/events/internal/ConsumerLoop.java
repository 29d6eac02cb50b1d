package org.countersign.events.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
import org.countersign.events.SqlEventHandler;
import org.countersign.events.payload.EventTypes;
import org.countersign.secrets.Aead;
import org.jboss.logging.Logger;

/**
 * One handler's consumer: reads its topics on a thread of its own, applies each event in a
 * transaction together with its dedup record (a {@link SqlEventHandler}'s events of one poll in one
 * transaction, {@link #appliedTogether}), and commits offsets only after that, once per poll.
 *
 * <p>It never stops by itself. A failure that goes away by itself (the database away) is retried
 * with backoff for as long as it lasts, and while it does the consumer keeps polling with its
 * partitions paused, so that it stays in its group however long the outage; the partitions are
 * sought back to the first record not yet applied and resumed when the backoff is over. Anything
 * else is retried a few times, then parked on the dead-letter topic so that the stream goes on. A
 * Kafka consumer that fails (a commit after it lost its partitions, a failed rebalance, any error)
 * is closed and replaced by a new one that rejoins the group and continues from the committed
 * offsets; a record applied but not committed comes again and is skipped by its ce_id.
 * {@link #liveness} tells the health check whether the loop is alive and polling.
 */
final class ConsumerLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    static final String DLQ_REASON = "cs_dlq_reason";
    static final String DLQ_CONSUMER = "cs_dlq_consumer";
    static final String DLQ_TOPIC = "cs_dlq_topic";
    static final String DLQ_PARTITION = "cs_dlq_partition";
    static final String DLQ_OFFSET = "cs_dlq_offset";

    /** The CloudEvents Kafka binding's header for the event's type (binary mode, which our producers use). */
    private static final String CE_TYPE_HEADER = "ce_type";

    private static final int MAX_POLL_RECORDS = 200;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration FIRST_REBUILD_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_REBUILD_BACKOFF = Duration.ofSeconds(30);

    /** What the loop is doing; each change is logged once. */
    enum State { STARTING, RUNNING, RETRYING, REBUILDING, STOPPED }

    /**
     * What became of one record: applied (or skipped as applied before), passed over (not this handler's
     * business, nothing written), parked on the dead-letter topic, or to try again later.
     */
    private enum Outcome { DONE, PASSED, PARKED, RETRY }

    /**
     * How long the offsets of records that were only passed over may wait for a commit. Most records on a
     * shared topic are not a given handler's business (push-service and an offline activation, say), and a
     * commit per poll of them was a round trip and a write to the broker for nothing: read again after a
     * restart, they are passed over again.
     */
    private static final long PASSED_COMMIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration PASSED_COMMIT_TIMEOUT = Duration.ofSeconds(2);

    private final EventHandler handler;
    private final String consumerName;
    private final Map<String, EventType> types;
    private final Map<String, Object> consumerConfig;
    private final List<String> topics;
    private final BooleanSupplier topicsReady;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final String deadLetterTopic;
    private final EventSchemas schemas;
    private final ProcessedEvents processed;
    private final Pool pool;
    private final ObjectMapper mapper;
    private final int maxAttempts;
    private final Duration batchWait;
    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();

    private volatile boolean running = true;
    private volatile State state = State.STARTING;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;

    // Used by the loop's thread only.
    private Duration backoff = FIRST_BACKOFF;
    private Duration rebuildBackoff = FIRST_REBUILD_BACKOFF;
    /** When the paused partitions resume; 0 while none is paused. */
    private long resumeAtNanos;
    private String failingRecord;
    private int failures;
    private int attemptsInState;
    /** Offsets of records passed over and not committed yet; committed with the next batch that applies one. */
    private final Map<TopicPartition, OffsetAndMetadata> passed = new HashMap<>();
    private long passedSinceNanos;

    ConsumerLoop(EventHandler handler, String consumerName, Map<String, Object> consumerConfig, List<String> topics,
                 KafkaProducer<String, byte[]> deadLetters, String deadLetterTopic, EventSchemas schemas,
                 ProcessedEvents processed, Pool pool, ObjectMapper mapper, int maxAttempts, Duration maxPollInterval,
                 Duration sessionTimeout, Duration batchWait, BooleanSupplier topicsReady) {
        this.topicsReady = topicsReady;
        this.handler = handler;
        this.consumerName = consumerName;
        this.types = handler.types().stream().collect(Collectors.toMap(EventType::ceType, t -> t));
        this.consumerConfig = kafkaConfig(consumerConfig, maxPollInterval, sessionTimeout);
        this.topics = topics;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = deadLetterTopic;
        this.schemas = schemas;
        this.processed = processed;
        this.pool = pool;
        this.mapper = mapper;
        this.maxAttempts = maxAttempts;
        this.batchWait = batchWait;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        // Subscribing before the topics exist works, but the first records could wait for a
        // metadata refresh; the service creates its topics at start-up, so wait for that briefly.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (running && !topicsReady.getAsBoolean() && System.nanoTime() < deadline) {
            lastPollNanos = System.nanoTime();
            sleep(Duration.ofMillis(200));
        }
        while (running) {
            try {
                consume();
            } catch (WakeupException e) {
                // Woken to stop.
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                if (!running) {
                    break;
                }
                transition(State.REBUILDING, e, "its Kafka consumer failed; a new one rejoins the group in " + rebuildBackoff);
                sleep(rebuildBackoff);
                rebuildBackoff = min(rebuildBackoff.multipliedBy(2), MAX_REBUILD_BACKOFF);
            }
        }
        transition(State.STOPPED, null, "stopped");
    }

    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** The thread that runs the loop, once it started. */
    Thread thread() {
        return thread;
    }

    String name() {
        return consumerName;
    }

    State state() {
        return state;
    }

    /** How long ago the loop last completed a poll (or, before its first, started waiting for one). */
    Duration sinceLastPoll() {
        return Duration.ofNanos(System.nanoTime() - lastPollNanos);
    }

    /** Alive: the thread runs and has completed a poll within {@code bound}. */
    boolean liveness(Duration bound) {
        Thread current = thread;
        return current != null && current.isAlive() && state != State.STOPPED && sinceLastPoll().compareTo(bound) <= 0;
    }

    /** One Kafka consumer's life: subscribe, poll and apply until stopped or until it fails. */
    private void consume() {
        KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer = kafka;
        try {
            resumeAtNanos = 0;
            // Offsets of a consumer that failed belong to partitions this one may not be given.
            passed.clear();
            kafka.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Revoked only inside a poll, and every batch commits what it applied before the next; what was
                    // only passed over is handed over committed too, so that the next owner does not read it again.
                    commitPassed(kafka);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    // No longer ours, so not ours to commit: read again by their new owner, passed over again.
                    passed.clear();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Partitions handed over while we wait out a backoff wait with the others.
                    if (resumeAtNanos != 0) {
                        kafka.pause(partitions);
                    }
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = kafka.poll(pollTimeout());
                lastPollNanos = System.nanoTime();
                if (state == State.STARTING || state == State.REBUILDING) {
                    rebuildBackoff = FIRST_REBUILD_BACKOFF;
                    transition(State.RUNNING, null, state == State.STARTING ? "consuming " + topics : "rejoined its group");
                }
                if (resumeAtNanos != 0 && System.nanoTime() - resumeAtNanos >= 0) {
                    // The next poll fetches again from where each partition was sought back to.
                    resumeAtNanos = 0;
                    kafka.resume(kafka.paused());
                    continue;
                }
                if (!records.isEmpty()) {
                    apply(kafka, records);
                    if (records.count() < MAX_POLL_RECORDS && resumeAtNanos == 0 && !batchWait.isZero()) {
                        // Events are flowing but no backlog is waiting: let the next ones gather (EventsConfig#batchWait).
                        gather(batchWait);
                    }
                }
                if (!passed.isEmpty() && System.nanoTime() - passedSinceNanos > PASSED_COMMIT_NANOS) {
                    commitPassed(kafka);
                }
            }
        } finally {
            // Also after a stop's wake-up, which ended the loop from inside poll and is spent by now.
            commitPassed(kafka);
            consumer = null;
            try {
                kafka.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debugf("Consumer %s: closing its Kafka consumer failed (%s)", consumerName, e.getClass().getSimpleName());
            }
        }
    }

    private Duration pollTimeout() {
        if (resumeAtNanos == 0) {
            return POLL;
        }
        long remaining = resumeAtNanos - System.nanoTime();
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(remaining, POLL.toNanos())));
    }

    /**
     * Applies a batch partition by partition, then commits the offsets of every record it applied or
     * parked, at once: one round trip to the broker per poll, not per record. A record applied but not
     * yet committed when the consumer fails comes again and is skipped by its ce_id, as before. At the
     * first record to try again later, what was done is committed, every partition is sought back to its
     * first record not yet applied and paused until the backoff is over; polling goes on meanwhile. A
     * parked record is committed at once, so that a restart does not park it twice. A batch of records that
     * were all only passed over is not committed on its own: its offsets go with the next commit, or within
     * a second ({@link #PASSED_COMMIT_NANOS}), or when the partitions are handed over.
     */
    private void apply(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
        if (handler instanceof SqlEventHandler sql && appliedTogether(kafka, records, sql)) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>(passed);
        boolean appliedAny = false;
        List<TopicPartition> partitions = List.copyOf(records.partitions());
        for (int p = 0; p < partitions.size(); p++) {
            TopicPartition partition = partitions.get(p);
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!running) {
                    commit(kafka, done);
                    passed.clear();
                    return;
                }
                Outcome outcome = process(record);
                if (outcome == Outcome.RETRY) {
                    commit(kafka, done);
                    passed.clear();
                    kafka.seek(partition, record.offset());
                    for (TopicPartition later : partitions.subList(p + 1, partitions.size())) {
                        kafka.seek(later, records.records(later).get(0).offset());
                    }
                    kafka.pause(kafka.assignment());
                    resumeAtNanos = System.nanoTime() + backoff.toNanos();
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                    return;
                }
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                appliedAny |= outcome != Outcome.PASSED;
                if (outcome == Outcome.PARKED) {
                    commit(kafka, done);
                    passed.clear();
                }
            }
        }
        if (appliedAny) {
            commit(kafka, done);
            passed.clear();
        } else {
            if (passed.isEmpty()) {
                passedSinceNanos = System.nanoTime();
            }
            passed.putAll(done);
        }
    }

    /**
     * A poll's events in one transaction, when the handler is a {@link SqlEventHandler}, every record of the
     * poll parses and is told to be the handler's or not, and at least two are: the poll's dedup records in
     * one statement, the new events applied in the poll's order, then what follows each commit, then the
     * offsets are committed once. Under load a consumer is handed several events per poll, and one
     * transaction, one dedup statement and one turn on the event loop for all of them, instead of one each,
     * is what lets it keep pace with the requests that share the event loop. Any failure rolls the whole
     * transaction back and answers false, and the records are then applied one by one ({@link #process}),
     * which tells a record to try again later from one to park, as before; an event the failed transaction
     * did apply after all (a commit whose answer was lost) is skipped then by its dedup record.
     *
     * @return whether the poll was applied and committed this way
     */
    private boolean appliedTogether(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records,
                                    SqlEventHandler sql) {
        List<ReceivedEvent> events = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>(passed);
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                try {
                    ReceivedEvent event = parse(record);
                    if (event != null && concerns(event)) {
                        events.add(event);
                    }
                } catch (RuntimeException e) {
                    return false;
                }
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        if (events.size() < 2 || !running) {
            return false;
        }
        List<Boolean> applied;
        try {
            List<String> ids = events.stream().map(ReceivedEvent::id).toList();
            applied = VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx -> processed.markProcessed(tx,
                    consumerName, ids).chain(fresh -> Multi.createFrom().iterable(events)
                    // remove: an event the poll brought twice (a producer's retry) is applied at its first place only.
                    .onItem().transformToUniAndConcatenate(event -> handledIf(fresh.remove(event.id()), sql, event, tx))
                    .collect().asList())));
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
            LOG.debugf("Consumer %s: %d events together failed (%s); applying them one by one", consumerName, events.size(),
                    rootCause(e).getClass().getSimpleName());
            return false;
        }
        for (int i = 0; i < events.size(); i++) {
            if (applied.get(i)) {
                afterCommit(events.get(i));
            }
        }
        done();
        commit(kafka, done);
        passed.clear();
        return true;
    }

    /**
     * Commits the offsets of what was only passed over, waiting at most {@link #PASSED_COMMIT_TIMEOUT}: a
     * failure (the coordinator away, a wake-up) is left to the next commit, as those records would only be
     * read and passed over again.
     */
    private void commitPassed(KafkaConsumer<String, byte[]> kafka) {
        if (passed.isEmpty()) {
            return;
        }
        try {
            kafka.commitSync(Map.copyOf(passed), PASSED_COMMIT_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debugf("Consumer %s: committing passed-over offsets failed (%s)", consumerName, e.getClass().getSimpleName());
        }
        passed.clear();
    }

    /**
     * Commits what is done (and forgets it, so that it is not committed twice). A stop wakes the consumer,
     * and the commit of the batch in hand is then the call that sees the wake-up: it is made once more
     * (the wake-up is spent), so that a rolling restart hands the next owner nothing already applied.
     */
    private static void commit(KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, OffsetAndMetadata> done) {
        if (!done.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(done);
            try {
                kafka.commitSync(offsets);
            } catch (WakeupException e) {
                kafka.commitSync(offsets);
            }
            done.clear();
        }
    }

    /** One attempt at one record. */
    private Outcome process(ConsumerRecord<String, byte[]> record) {
        ReceivedEvent event;
        try {
            event = parse(record);
        } catch (PoisonEventException e) {
            return deadLetter(record, e.getMessage());
        }
        if (event == null) {
            return Outcome.PASSED;
        }
        try {
            if (!concerns(event)) {
                return Outcome.PASSED;
            }
        } catch (PoisonEventException e) {
            return deadLetter(record, e.getMessage());
        } catch (RuntimeException e) {
            // Decided on the event alone, so it would fail the same way every time.
            return deadLetter(record, "handler-failed: " + e.getClass().getName());
        }
        try {
            boolean applied = VertxContextSupport.subscribeAndAwait(() -> applyOnce(event));
            if (applied) {
                afterCommit(event);
            }
            return done();
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
            Throwable cause = rootCause(e);
            if (cause instanceof PoisonEventException) {
                return deadLetter(record, cause.getMessage());
            }
            if (cause instanceof Aead.AeadException) {
                // Sealed for another owner, another service or a key this one does not have: no retry opens it.
                LOG.errorf("Consumer %s: a sealed value in %s does not open here; parked on the dead-letter topic", consumerName,
                        event);
                return deadLetter(record, "sealed-value-does-not-open");
            }
            if (!Retriable.is(cause)) {
                String id = record.topic() + "-" + record.partition() + "@" + record.offset();
                if (!id.equals(failingRecord)) {
                    failingRecord = id;
                    failures = 0;
                }
                if (++failures >= maxAttempts) {
                    LOG.errorf(cause, "Consumer %s: %s failed %d times; parked on the dead-letter topic", consumerName, event,
                            failures);
                    return deadLetter(record, "handler-failed: " + cause.getClass().getName());
                }
            }
            return retry(cause, event.toString());
        }
    }

    /**
     * The event and its dedup record in one transaction: on the reactive SQL client for a
     * {@link SqlEventHandler}, in a Hibernate session for any other.
     *
     * @return whether it was applied (false: applied before, skipped)
     */
    private Uni<Boolean> applyOnce(ReceivedEvent event) {
        if (handler instanceof SqlEventHandler sql) {
            return pool.withTransaction(tx -> applyIn(tx, sql, event));
        }
        return Panache.withTransaction(() -> processed.markProcessed(consumerName, event.id()).chain(fresh -> fresh
                ? handler.handle(event).replaceWith(true)
                : Uni.createFrom().item(false)));
    }

    /** The event and its dedup record, in the transaction of {@code tx}; false: applied before, skipped. */
    private Uni<Boolean> applyIn(SqlConnection tx, SqlEventHandler sql, ReceivedEvent event) {
        return processed.markProcessed(tx, consumerName, List.of(event.id()))
                .chain(fresh -> handledIf(!fresh.isEmpty(), sql, event, tx));
    }

    /**
     * The Kafka consumer's settings for a consumer loop: {@code base} (bootstrap, client and group id) and ours.
     * Also for the tests that play a replica of a service in a JVM of its own.
     */
    static Map<String, Object> kafkaConfig(Map<String, Object> base, Duration maxPollInterval, Duration sessionTimeout) {
        Map<String, Object> config = new HashMap<>(base);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollInterval.toMillis());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) sessionTimeout.dividedBy(3).toMillis());
        // A commit or close while Kafka is away gives up within this, and the consumer is rebuilt.
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        // A topic created after we subscribed would otherwise go unnoticed for the default 5 minutes.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 10_000);
        return Map.copyOf(config);
    }

    /** The event handled in {@code tx} when it is new to this consumer; true: handled, false: applied before, skipped. */
    private static Uni<Boolean> handledIf(boolean fresh, SqlEventHandler sql, ReceivedEvent event, SqlConnection tx) {
        return fresh ? sql.handle(event, tx).replaceWith(true) : Uni.createFrom().item(false);
    }

    private void afterCommit(ReceivedEvent event) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> handler.afterCommit(event));
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
            LOG.warnf("Consumer %s: %s applied, but what follows its commit failed: %s", consumerName, event,
                    rootCause(e).getClass().getName());
        }
    }

    private Outcome done() {
        failingRecord = null;
        failures = 0;
        backoff = FIRST_BACKOFF;
        if (state == State.RETRYING) {
            transition(State.RUNNING, null, "recovered after " + attemptsInState + " attempt(s)");
        }
        return Outcome.DONE;
    }

    private Outcome retry(Throwable cause, String what) {
        if (state == State.RETRYING) {
            attemptsInState++;
            LOG.debugf("Consumer %s: %s failed again (%s); retrying in %s", consumerName, what,
                    cause.getClass().getSimpleName(), backoff);
        } else {
            transition(State.RETRYING, cause, what + " failed; retrying with backoff, its partitions paused");
            attemptsInState = 1;
        }
        return Outcome.RETRY;
    }

    private void transition(State next, Throwable cause, String why) {
        State previous = state;
        if (previous == next) {
            return;
        }
        state = next;
        String reason = cause == null ? "" : " (" + cause.getClass().getName() + ")";
        if (next == State.RETRYING || next == State.REBUILDING) {
            LOG.warnf("Consumer %s: %s%s", consumerName, why, reason);
        } else {
            LOG.infof("Consumer %s: %s", consumerName, why);
        }
    }

    /**
     * The record as this handler's event, or null when it is another handler's business. Most records on a
     * shared topic are the latter, so their binary-mode {@code ce_type} header is read first and they are passed
     * over without reading the CloudEvent (its headers, its time); one with a type nobody knows, or without the
     * header, is read in full and parked if it is not a CloudEvent of ours.
     */
    private ReceivedEvent parse(ConsumerRecord<String, byte[]> record) {
        Header typeHeader = record.headers().lastHeader(CE_TYPE_HEADER);
        if (typeHeader != null && typeHeader.value() != null) {
            if (anotherConsumersType(new String(typeHeader.value(), StandardCharsets.UTF_8))) {
                return null;
            }
        }
        CloudEvent cloudEvent;
        try {
            cloudEvent = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            throw new PoisonEventException("not-a-cloudevent");
        }
        if (anotherConsumersType(cloudEvent.getType())) {
            return null;
        }
        EventType type = types.get(cloudEvent.getType());
        if (type == null) {
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
        return new ReceivedEvent(cloudEvent.getId(), type, String.valueOf(cloudEvent.getSource()), cloudEvent.getSubject(),
                cloudEvent.getTime(), record.key(), data, mapper);
    }

    /**
     * The event's data against its type's JSON Schema, for an event the handler took ({@link EventHandler#concerns}):
     * one it passes over is not its business to check or to park (push-service passes over every offline
     * activation, and the check was a tenth of its samples).
     */
    private void requireValid(ReceivedEvent event) {
        List<String> violations = schemas.violations(event.type(), event.data());
        if (!violations.isEmpty()) {
            throw new PoisonEventException("schema-violation: " + String.join("; ", violations));
        }
    }

    /**
     * Whether the handler takes the event; one it takes must match its schema. When the handler cannot tell, an
     * event that breaks its schema is parked as such, and any other for the handler's exception.
     */
    private boolean concerns(ReceivedEvent event) {
        boolean concerns;
        try {
            concerns = handler.concerns(event);
        } catch (RuntimeException e) {
            requireValid(event);
            throw e;
        }
        if (concerns) {
            requireValid(event);
        }
        return concerns;
    }

    /** A type of ours that this handler does not apply: a topic carries many, and those are simply not its business. */
    private boolean anotherConsumersType(String ceType) {
        return !types.containsKey(ceType) && EventTypes.byCeType(ceType).isPresent();
    }

    /**
     * Parks a record with the reason. One attempt: while Kafka is away the record is tried again
     * after a backoff, as the offset must not move before it is parked.
     */
    private Outcome deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(deadLetterTopic, record.key(), record.value());
        for (Header header : record.headers()) {
            letter.headers().add(header);
        }
        letter.headers().add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DLQ_CONSUMER, consumerName.getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DLQ_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DLQ_PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DLQ_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            deadLetters.send(letter).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return Outcome.RETRY;
        } catch (Exception e) {
            return retry(e, "parking " + record.topic() + "-" + record.partition() + "@" + record.offset());
        }
        LOG.warnf("Consumer %s parked %s-%d@%d on %s: %s", consumerName, record.topic(), record.partition(),
                record.offset(), deadLetterTopic, reason.split(":")[0]);
        done();
        return Outcome.PARKED;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && !(cause instanceof PoisonEventException)) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Sleeps, but wakes early when the loop stops. */
    private void sleep(Duration duration) {
        sleep(duration, () -> false, 100);
    }

    /** Sleeps while the next events gather, until a request waits for one of the handler's ({@link EventHandler#awaited}). */
    private void gather(Duration duration) {
        sleep(duration, handler::awaited, 1);
    }

    /** Sleeps in steps of at most {@code stepMillis}, and wakes early when the loop stops or {@code cutShort} says so. */
    private void sleep(Duration duration, BooleanSupplier cutShort, long stepMillis) {
        long end = System.nanoTime() + duration.toNanos();
        try {
            while (running && !cutShort.getAsBoolean() && System.nanoTime() - end < 0) {
                Thread.sleep(Math.min(stepMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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
