package org.countersign.events.internal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.countersign.events.EventsConfig;
import org.countersign.events.Topics;
import org.jboss.logging.Logger;

/**
 * Creates the suite's topics with the configured partitions when they do not exist. It runs in the
 * background and retries, because a service must start (and take requests) while Kafka is down.
 */
@ApplicationScoped
public class TopicCreator {

    private static final Logger LOG = Logger.getLogger(TopicCreator.class);

    private final KafkaClients kafka;
    private final EventsConfig config;
    private volatile boolean running = true;
    private volatile boolean done;

    public TopicCreator(KafkaClients kafka, EventsConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        Thread thread = new Thread(this::createUntilDone, "topic-creator");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    public boolean done() {
        return done;
    }

    private void createUntilDone() {
        var settings = kafka.common(config.serviceName() + "-admin");
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        while (running && !done) {
            try (Admin admin = Admin.create(settings)) {
                Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                List<NewTopic> missing = new ArrayList<>();
                for (String topic : Topics.ALL) {
                    String name = config.prefix() + topic;
                    if (!existing.contains(name)) {
                        missing.add(new NewTopic(name, config.partitions(), (short) -1));
                    }
                }
                if (!missing.isEmpty()) {
                    try {
                        admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
                done = true;
            } catch (Exception e) {
                LOG.debugf("Topics not created yet (%s); retrying", e.getClass().getSimpleName());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
