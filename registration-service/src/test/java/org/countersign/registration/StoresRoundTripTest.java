package org.countersign.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.registration.domain.User;
import org.countersign.registration.domain.UserStatus;
import org.countersign.registration.repository.UserRepository;
import org.countersign.testing.CountersignStackResource;
import org.countersign.testing.KafkaRoundTrip;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Proves that the service really talks to each store it uses: it writes through its own configured
 * connections and reads the same data back.
 */
@QuarkusTest
class StoresRoundTripTest {

    private static final String DOMAIN = "acme.test";

    @Inject
    UserRepository users;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafkaBootstrap;

    @ConfigProperty(name = CountersignStackResource.TOPIC_PREFIX_KEY, defaultValue = "")
    String topicPrefix;

    @Test
    @RunOnVertxContext
    void postgres_rowWrittenInTransaction_readBackInNewSession(UniAsserter asserter) {
        String userId = "user-" + UUID.randomUUID();
        asserter.execute(() -> Panache.withTransaction(() -> users.persist(User.create(DOMAIN, userId, Instant.now().truncatedTo(ChronoUnit.MICROS)))));
        asserter.assertThat(() -> Panache.withSession(() -> users.findByDomainAndUserId(DOMAIN, userId)), found -> {
            assertEquals(userId, found.userId); assertEquals(UserStatus.ACTIVE, found.status);
        });
    }

    @Test
    void kafka_recordProduced_consumedBackWithKeyAndHeaders() throws Exception {
        String topic = topicPrefix + "round-trip.registration." + UUID.randomUUID();
        ConsumerRecord<String, String> record = KafkaRoundTrip.roundTrip(kafkaBootstrap, topic, "alice@" + DOMAIN,
                "{\"hello\":\"kafka\"}", Map.of("ce_type", "org.countersign.test.round-trip.v1"));
        assertEquals("alice@" + DOMAIN, record.key());
        assertEquals("{\"hello\":\"kafka\"}", record.value());
        assertEquals("org.countersign.test.round-trip.v1",
                new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8));
    }
}
