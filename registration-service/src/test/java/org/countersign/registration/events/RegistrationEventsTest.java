package org.countersign.registration.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.events.Topics;
import org.countersign.events.payload.RegistrationInitiated;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.testing.SharedStack;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** What a registration tells the rest of the suite, and that it keeps working without Kafka. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistrationEventsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    String prefix;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    @Order(1)
    void register_publishesInitiatedPublicAndPendingInternal_passwordOnlySealed() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        var response = register(serial);
        String rid = response.path("registrationId");
        String password = response.path("activationPassword");

        ConsumerRecord<String, byte[]> initiated = await(prefix + Topics.REGISTRATIONS, rid);
        assertEquals(RegistrationInitiated.TYPE.ceType(), header(initiated, "ce_type"));
        assertEquals("kim@" + TestTokens.DOMAIN, initiated.key());
        JsonNode data = json.readTree(initiated.value());
        assertEquals(serial, data.path("serialNumber").asText());
        assertEquals("offline", data.path("activationType").asText());

        ConsumerRecord<String, byte[]> pending = await(prefix + Topics.INTERNAL_REGISTRATIONS, rid);
        assertEquals(RegistrationPending.TYPE.ceType(), header(pending, "ce_type"));
        assertTrue(json.readTree(pending.value()).path("sealedActivationPassword").asText().startsWith("v3."));
        for (ConsumerRecord<String, byte[]> record : List.of(initiated, pending)) {
            assertFalse(new String(record.value(), StandardCharsets.UTF_8).contains(password), "no event carries AP in clear");
        }
    }

    @Test
    @Order(2)
    void licenceChangesHands_assignedOnRegister_releasedWhenLastReservationCancelled() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        String rid = register(serial).path("registrationId");
        ConsumerRecord<String, byte[]> assigned = awaitSubject(prefix + Topics.REGISTRATIONS, "licence/" + serial,
                org.countersign.events.payload.LicenceAssigned.TYPE.ceType());
        assertEquals("kim", json.readTree(assigned.value()).path("userId").asText());
        RestAssured.given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration"))
                .when().delete("/api/v1/registrations/" + rid).then().statusCode(204);
        ConsumerRecord<String, byte[]> released = awaitSubject(prefix + Topics.REGISTRATIONS, "licence/" + serial,
                org.countersign.events.payload.LicenceReleased.TYPE.ceType());
        assertEquals("licence:" + serial + "@" + TestTokens.DOMAIN, released.key(), "licence changes are keyed by licence");
        assertEquals(assigned.key(), released.key(), "so an assignment and a release stay in order");
    }

    @Test
    @Order(4)
    void deactivate_cancelsEachPendingRegistrationWithItsOwnEvent_beforeUserDeactivated() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        String user = "dora-" + serial.substring(3);
        RestAssured.given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration"))
                .contentType("application/json").body("{\"licences\":[{\"serialNumber\":\"" + serial
                        + "\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"MDL\",\"maxActivations\":2}]}")
                .when().post("/api/v1/licences").then().statusCode(201);
        String[] rids = new String[2];
        for (int i = 0; i < 2; i++) {
            rids[i] = RestAssured.given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration"))
                    .contentType("application/json").body("{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serial
                            + "\",\"activationType\":\"offline\"}")
                    .when().post("/api/v1/users/register").then().statusCode(201).extract().path("registrationId");
        }
        RestAssured.given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration"))
                .when().delete("/api/v1/users/" + user).then().statusCode(204);
        ConsumerRecord<String, byte[]> deactivated = awaitSubject(prefix + Topics.REGISTRATIONS, "user/" + user,
                org.countersign.events.payload.UserDeactivated.TYPE.ceType());
        for (String rid : rids) {
            ConsumerRecord<String, byte[]> cancelled = awaitSubject(prefix + Topics.REGISTRATIONS, "registration/" + rid,
                    org.countersign.events.payload.RegistrationCancelled.TYPE.ceType());
            assertEquals("user-deactivated", json.readTree(cancelled.value()).path("reason").asText());
            assertEquals("offline", json.readTree(cancelled.value()).path("activationType").asText());
            assertEquals(deactivated.partition(), cancelled.partition());
            assertTrue(cancelled.offset() < deactivated.offset(), "each registration is closed before the user");
        }
        // The last reservation released gives the licence back to the pool, as a cancel does.
        awaitSubject(prefix + Topics.REGISTRATIONS, "licence/" + serial, org.countersign.events.payload.LicenceReleased.TYPE.ceType());
    }

    @Test
    @Order(3)
    void register_whileKafkaIsDown_succeedsAndEventArrivesLater() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        SharedStack.get().killKafka();
        String rid;
        try {
            rid = register(serial).path("registrationId");
        } finally {
            SharedStack.get().restartKafka();
        }
        assertEquals(RegistrationInitiated.TYPE.ceType(), header(await(prefix + Topics.REGISTRATIONS, rid), "ce_type"));
    }

    private io.restassured.response.ExtractableResponse<io.restassured.response.Response> register(String serial) {
        RestAssured.given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration"))
                .contentType("application/json").body("{\"licences\":[{\"serialNumber\":\"" + serial
                        + "\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"SDL\"}]}")
                .when().post("/api/v1/licences").then().statusCode(201);
        return RestAssured.given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration"))
                .contentType("application/json")
                .body("{\"userId\":\"kim\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}")
                .when().post("/api/v1/users/register").then().statusCode(201).extract();
    }

    private ConsumerRecord<String, byte[]> await(String topic, String registrationId) throws InterruptedException {
        return TopicReader.await(bootstrap, topic, r -> ("registration/" + registrationId).equals(header(r, "ce_subject")),
                Duration.ofSeconds(60));
    }

    private ConsumerRecord<String, byte[]> awaitSubject(String topic, String subject, String type) throws InterruptedException {
        return TopicReader.await(bootstrap, topic, r -> subject.equals(header(r, "ce_subject")) && type.equals(header(r, "ce_type")),
                Duration.ofSeconds(60));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return TopicReader.header(record, name);
    }
}
