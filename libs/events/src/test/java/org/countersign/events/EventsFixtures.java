package org.countersign.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** What the tests of the test application share: its database, and events sent past its outbox. */
final class EventsFixtures {

    private final String jdbcUrl;
    private final String bootstrap;

    EventsFixtures(String jdbcUrl, String bootstrap) {
        this.jdbcUrl = jdbcUrl;
        this.bootstrap = bootstrap;
    }

    KafkaProducer<String, CloudEvent> cloudEventProducer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new CloudEventSerializer());
    }

    /** A producer that waits up to {@code lingerMs} to send what is sent meanwhile as one batch. */
    KafkaProducer<String, CloudEvent> cloudEventProducer(int lingerMs) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", Integer.toString(lingerMs)),
                new StringSerializer(), new CloudEventSerializer());
    }

    /** The log file of the application under test: one per test JVM (pom.xml runs two). */
    static Path applicationLog() {
        return Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class));
    }

    /** A change of {@code accountKey} for the test app's {@code SqlAccountChangesHandler}, with this id and seq. */
    static CloudEvent accountChange(String id, String accountKey, int seq) {
        return event(id, org.countersign.events.app.SqlAccountChangesHandler.TYPE.ceType(),
                "{\"accountKey\":\"" + accountKey + "\",\"seq\":" + seq + "}");
    }

    static CloudEvent event(String id, String type, String json) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/test")).withType(type)
                .withTime(OffsetDateTime.now()).withDataContentType("application/json")
                .withData(json.getBytes(StandardCharsets.UTF_8)).build();
    }

    Integer sqlInt(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?currentSchema=events_test", "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    void awaitSql(String query, int expected, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = sqlInt(query);
            if (last == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Expected " + expected + " but was " + last + ": " + query);
    }
}
