package org.countersign.events.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.countersign.events.EventHandler;
import org.countersign.events.EventType;
import org.countersign.events.EventsConfig;
import org.countersign.events.SqlEventHandler;
import org.countersign.events.Topics;

/** Starts a consumer loop for each {@link EventHandler} bean of the service. */
@ApplicationScoped
public class EventConsumers {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(EventConsumers.class);

    private final Instance<EventHandler> handlers;
    private final KafkaClients kafka;
    private final EventsConfig config;
    private final EventSchemas schemas;
    private final ProcessedEvents processed;
    private final Instance<Pool> pool;
    private final ObjectMapper mapper;
    private final TopicCreator topicCreator;
    private final List<ConsumerLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private KafkaProducer<String, byte[]> deadLetters;

    public EventConsumers(Instance<EventHandler> handlers, KafkaClients kafka, EventsConfig config, EventSchemas schemas,
                          ProcessedEvents processed, Instance<Pool> pool, ObjectMapper mapper, TopicCreator topicCreator) {
        this.topicCreator = topicCreator;
        this.handlers = handlers;
        this.kafka = kafka;
        this.config = config;
        this.schemas = schemas;
        this.processed = processed;
        this.pool = pool;
        this.mapper = mapper;
    }

    void start(@Observes StartupEvent event) {
        if (!config.consumers().enabled() || handlers.isUnsatisfied()) {
            return;
        }
        String service = config.serviceName();
        deadLetters = kafka.rawProducer(service + "-dead-letters");
        for (EventHandler handler : handlers) {
            String consumerName = service + "." + handler.name();
            Set<String> topics = new HashSet<>();
            for (EventType type : handler.types()) {
                topics.add(config.prefix() + type.topic());
            }
            Map<String, Object> consumerConfig = kafka.common(consumerName);
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.prefix() + "countersign." + consumerName);
            ConsumerLoop loop = new ConsumerLoop(handler, consumerName, consumerConfig, List.copyOf(topics), deadLetters,
                    config.prefix() + Topics.DEAD_LETTERS, schemas, processed,
                    handler instanceof SqlEventHandler ? pool.get() : null, mapper, config.consumers().maxAttempts(),
                    config.consumers().maxPollInterval(), config.consumers().sessionTimeout(), config.consumers().batchWait(),
                    topicCreator::done);
            Thread thread = new Thread(loop, "consumer-" + handler.name());
            thread.setDaemon(true);
            // The loop catches everything but a VirtualMachineError; should one end it, say so (liveness turns DOWN).
            thread.setUncaughtExceptionHandler((t, e) -> LOG.errorf(e, "Consumer %s died", consumerName));
            thread.start();
            loops.add(loop);
            threads.add(thread);
        }
    }

    /** Each consumer's name and whether it is alive (its thread runs and polled within the bound). */
    public Map<String, Boolean> liveness() {
        Map<String, Boolean> alive = new java.util.TreeMap<>();
        for (ConsumerLoop loop : loops) {
            alive.put(loop.name(), loop.liveness(config.consumers().livenessTimeout()));
        }
        return alive;
    }

    /** Each consumer's state and how long ago it last polled, for the health check's data. */
    public Map<String, String> describe() {
        Map<String, String> states = new java.util.TreeMap<>();
        for (ConsumerLoop loop : loops) {
            Thread thread = loop.thread();
            String state = thread != null && !thread.isAlive() ? "DEAD" : loop.state().name();
            states.put(loop.name(), state + ", last poll " + loop.sinceLastPoll().toSeconds() + " s ago");
        }
        return states;
    }

    void stop(@Observes ShutdownEvent event) {
        loops.forEach(ConsumerLoop::stop);
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (deadLetters != null) {
            deadLetters.close(java.time.Duration.ofSeconds(5));
        }
    }
}
