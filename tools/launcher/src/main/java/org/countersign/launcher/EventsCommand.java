package org.countersign.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Follows the suite's topics and prints each event for a person: type, subject, time, key and data. */
final class EventsCommand {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final Workspace workspace;
    private final ObjectMapper json = new ObjectMapper();

    EventsCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    int run(List<String> args) {
        List<String> topics = new ArrayList<>();
        boolean fromBeginning = false;
        for (String arg : args) {
            if (arg.equals("--from-beginning")) {
                fromBeginning = true;
            } else if (arg.startsWith("-")) {
                throw new UsageException("Usage: ./countersign events [TOPIC ...] [--from-beginning]");
            } else {
                topics.add(arg);
            }
        }
        String bootstrap = workspace.env().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", workspace.readState().getProperty("kafka"));
        if (bootstrap == null) {
            throw new UsageException("No Kafka to read: start the suite (./countersign up) or set KAFKA_BOOTSTRAP_SERVERS.");
        }
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "countersign-events-cli-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            if (topics.isEmpty()) {
                consumer.subscribe(Pattern.compile("countersign\\..*"));
                System.err.println("Following every countersign.* topic on " + bootstrap
                        + (fromBeginning ? " from the beginning" : " (new events; --from-beginning replays)") + ". Ctrl-C stops.");
            } else {
                consumer.subscribe(topics);
                System.err.println("Following " + String.join(", ", topics) + " on " + bootstrap + ". Ctrl-C stops.");
            }
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println(describe(record));
                    System.out.flush();
                }
            }
        }
    }

    String describe(ConsumerRecord<String, byte[]> record) {
        String type = header(record, "ce_type");
        String time = header(record, "ce_time");
        StringBuilder out = new StringBuilder();
        out.append(CLOCK.format(time == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(time)))
                .append("  ").append(type == null ? "(not a CloudEvent)" : type).append('\n');
        out.append("    topic ").append(record.topic()).append('/').append(record.partition()).append('@').append(record.offset())
                .append("  key ").append(record.key()).append('\n');
        String subject = header(record, "ce_subject");
        if (subject != null) {
            out.append("    subject ").append(subject).append("  source ").append(header(record, "ce_source")).append('\n');
        }
        for (Header header : record.headers()) {
            if (header.key().startsWith("cs_dlq_")) {
                out.append("    ").append(header.key()).append(' ').append(new String(header.value(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        out.append("    data ").append(data(record.value())).append('\n');
        return out.toString();
    }

    private String data(byte[] value) {
        if (value == null) {
            return "(none)";
        }
        try {
            JsonNode node = json.readTree(value);
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node).replace("\n", "\n    ");
        } catch (java.io.IOException e) {
            return "(" + value.length + " bytes, not JSON)";
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
