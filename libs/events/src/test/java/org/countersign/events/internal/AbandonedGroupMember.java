package org.countersign.events.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A replica of a service's consumer, in a JVM of its own so that a test can kill it as a crash does: it joins
 * the group with the settings of a consumer loop, says "assigned" once it holds partitions, and then polls
 * without ever committing or leaving. Arguments: bootstrap servers, group id, topic, max.poll.interval and
 * session timeout (ISO-8601 durations).
 */
public final class AbandonedGroupMember {

    private AbandonedGroupMember() {
    }

    public static void main(String[] args) {
        Map<String, Object> base = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0], ConsumerConfig.GROUP_ID_CONFIG, args[1],
                ConsumerConfig.CLIENT_ID_CONFIG, "abandoned-member");
        Map<String, Object> config = ConsumerLoop.kafkaConfig(base, Duration.parse(args[3]), Duration.parse(args[4]));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        System.out.println("assigned " + partitions);
                        System.out.flush();
                    }
                }
            });
            while (true) {
                consumer.poll(Duration.ofMillis(200));
            }
        }
    }
}
