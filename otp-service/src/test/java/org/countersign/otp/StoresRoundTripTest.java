package org.countersign.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.RedisDataSource;
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
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialStatus;
import org.countersign.otp.repository.CredentialRepository;
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
    CredentialRepository credentials;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafkaBootstrap;

    @ConfigProperty(name = CountersignStackResource.TOPIC_PREFIX_KEY, defaultValue = "")
    String topicPrefix;

    @Test
    @RunOnVertxContext
    void postgres_rowWrittenInTransaction_readBackInNewSession(UniAsserter asserter) {
        String userId = "user-" + UUID.randomUUID();
        asserter.execute(() -> Panache.withTransaction(() -> credentials.persist(credential(userId))));
        asserter.assertThat(() -> Panache.withSession(() -> credentials.listActiveForUser(DOMAIN, userId).map(list -> list.get(0))), found -> {
            assertEquals("totp:sha1:6:30", found.otpPolicy); assertEquals(userId, found.userId);
        });
    }

    @Inject
    RedisDataSource redis;

    @Test
    void redis_valueWrittenWithTtl_readBack() {
        String key = "cs:otp:round-trip:" + UUID.randomUUID();
        redis.value(String.class).setex(key, 60, "cached");
        assertEquals("cached", redis.value(String.class).get(key));
        long ttl = redis.key().ttl(key);
        assertTrue(ttl > 0 && ttl <= 60, "the key expires, as every key of ours must: " + ttl);
    }

    @Test
    void kafka_recordProduced_consumedBackWithKeyAndHeaders() throws Exception {
        String topic = topicPrefix + "round-trip.otp." + UUID.randomUUID();
        ConsumerRecord<String, String> record = KafkaRoundTrip.roundTrip(kafkaBootstrap, topic, "alice@" + DOMAIN,
                "{\"hello\":\"kafka\"}", Map.of("ce_type", "org.countersign.test.round-trip.v1"));
        assertEquals("alice@" + DOMAIN, record.key());
        assertEquals("{\"hello\":\"kafka\"}", record.value());
        assertEquals("org.countersign.test.round-trip.v1",
                new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8));
    }

    private static Credential credential(String userId) {
        Credential credential = new Credential();
        credential.id = UUID.randomUUID();
        credential.domain = DOMAIN;
        credential.userId = userId;
        credential.serialNumber = "SN-" + userId;
        credential.otpPolicy = "totp:sha1:6:30";
        credential.kind = org.countersign.otp.domain.CredentialKind.TOTP;
        credential.sealedSecret = "v2.test.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        credential.lastAccepted = -1;
        credential.source = "instance";
        credential.status = CredentialStatus.ACTIVE;
        credential.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return credential;
    }
}
