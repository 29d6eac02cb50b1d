package org.countersign.push;

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
import org.countersign.protocol.P256;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.DeviceStatus;
import org.countersign.push.domain.Platform;
import org.countersign.push.repository.DeviceRepository;
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
    DeviceRepository devices;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafkaBootstrap;

    @ConfigProperty(name = CountersignStackResource.TOPIC_PREFIX_KEY, defaultValue = "")
    String topicPrefix;

    @Test
    @RunOnVertxContext
    void postgres_rowWrittenInTransaction_readBackInNewSession(UniAsserter asserter) {
        String userId = "user-" + UUID.randomUUID();
        asserter.execute(() -> Panache.withTransaction(() -> devices.persist(device(userId))));
        asserter.assertThat(() -> Panache.withSession(() -> devices.listActiveForUser(DOMAIN, userId).map(list -> list.get(0))), found -> {
            assertEquals(Platform.ANDROID, found.platform); assertEquals(userId, found.userId);
        });
    }

    @Inject
    RedisDataSource redis;

    @Test
    void redis_valueWrittenWithTtl_readBack() {
        String key = "cs:push:round-trip:" + UUID.randomUUID();
        redis.value(String.class).setex(key, 60, "cached");
        assertEquals("cached", redis.value(String.class).get(key));
        long ttl = redis.key().ttl(key);
        assertTrue(ttl > 0 && ttl <= 60, "the key expires, as every key of ours must: " + ttl);
    }

    @Test
    void kafka_recordProduced_consumedBackWithKeyAndHeaders() throws Exception {
        String topic = topicPrefix + "round-trip.push." + UUID.randomUUID();
        ConsumerRecord<String, String> record = KafkaRoundTrip.roundTrip(kafkaBootstrap, topic, "alice@" + DOMAIN,
                "{\"hello\":\"kafka\"}", Map.of("ce_type", "org.countersign.test.round-trip.v1"));
        assertEquals("alice@" + DOMAIN, record.key());
        assertEquals("{\"hello\":\"kafka\"}", record.value());
        assertEquals("org.countersign.test.round-trip.v1",
                new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8));
    }

    private static Device device(String userId) {
        Device device = new Device();
        device.instanceId = userId + "-iid";
        device.domain = DOMAIN;
        device.userId = userId;
        device.serialNumber = "SN-1";
        device.platform = Platform.ANDROID;
        device.biometric = true;
        device.publicKey = P256.encodeSpki((java.security.interfaces.ECPublicKey) P256.generateKeyPair().getPublic());
        device.certificateNotAfter = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.MICROS);
        device.status = DeviceStatus.ACTIVE;
        device.authTypes = "otp,push,signature";
        device.activatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        device.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return device;
    }
}
