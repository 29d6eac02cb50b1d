package org.countersign.events.internal;

import io.cloudevents.CloudEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.countersign.events.EventsConfig;
import org.countersign.events.relay.OutboxRelay;

/** Runs the outbox relay of this service for as long as the service runs. */
@ApplicationScoped
public class OutboxRelayService {

    private final DataSource dataSource;
    private final KafkaClients kafka;
    private final EventsConfig config;
    private KafkaProducer<String, CloudEvent> producer;
    private OutboxRelay relay;

    public OutboxRelayService(DataSource dataSource, KafkaClients kafka, EventsConfig config) {
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.relay().enabled()) {
            return;
        }
        producer = kafka.cloudEventProducer(config.serviceName() + "-relay");
        relay = new OutboxRelay(dataSource, producer, config.source(), new OutboxRelay.Options(
                config.relay().pollInterval(), config.relay().batchSize(), config.relay().retention(),
                config.relay().maxBackoff(), config.relay().batchWait()));
        relay.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to publish now rather than at its next notification or poll. */
    public void wake() {
        if (relay != null) {
            relay.wake();
        }
    }
}
