package org.countersign.events.internal;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Kafka client settings: the service's {@code kafka.*} configuration plus what our guarantees need. */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> base;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> base) {
        this.base = base;
    }

    /** Settings any client of ours starts from; only keys Kafka knows, so clients log no warnings. */
    public Map<String, Object> common(String clientId) {
        Map<String, Object> config = new HashMap<>();
        base.forEach((key, value) -> {
            if (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) || key.startsWith("security.")
                    || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** Idempotent, acks=all, ordered per partition even across retries. */
    public static Map<String, Object> reliableProducer(Map<String, Object> common) {
        Map<String, Object> config = new HashMap<>(common);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        // While the broker is down, sends fail within these bounds and the relay backs off.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        return config;
    }

    public KafkaProducer<String, CloudEvent> cloudEventProducer(String clientId) {
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY), false);
        return new KafkaProducer<>(reliableProducer(common(clientId)), new StringSerializer(), serializer);
    }

    public KafkaProducer<String, byte[]> rawProducer(String clientId) {
        return new KafkaProducer<>(reliableProducer(common(clientId)), new StringSerializer(), new ByteArraySerializer());
    }
}
