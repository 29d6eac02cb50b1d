package org.countersign.testing;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events the way another service's outbox relay would, for a service under test to
 * consume: a CloudEvent in binary mode with a JSON payload, on the real broker.
 */
public final class TestEvents {

    private TestEvents() {
    }

    /** Sends one event and waits until the broker has it. */
    public static void publish(String bootstrap, String topic, String key, String ceType, String source, String json)
            throws Exception {
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new CloudEventSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, event(ceType, source, json))).get();
        }
    }

    public static CloudEvent event(String ceType, String source, String json) {
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create(source))
                .withType(ceType).withTime(OffsetDateTime.now()).withDataContentType("application/json")
                .withData(json.getBytes(StandardCharsets.UTF_8)).build();
    }
}
