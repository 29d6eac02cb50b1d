package org.countersign.registration.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.countersign.events.Topics;
import org.countersign.events.payload.ActivationFailed;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.events.payload.DeviceMigrated;
import org.countersign.testing.TestTokens;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The provisioning-service's reports settle registrations and licence accounting, once each. */
@QuarkusTest
class ActivationsConsumerTest {

    private static final String DOMAIN = TestTokens.DOMAIN;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    String prefix;

    @Test
    void activated_twice_reservationBecomesOneUsedActivation_thenRevokedGivesItBack() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        String rid = register(serial, "lena");
        String iid = "iid-" + UUID.randomUUID().toString().substring(0, 8);
        String activated = "{\"registrationId\":\"" + rid + "\",\"instanceId\":\"" + iid + "\",\"userId\":\"lena\",\"domain\":\""
                + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"mode\":\"offline\",\"otp\":\"totp:sha1:6:30\","
                + "\"activatedAt\":\"2026-11-23T10:00:00Z\"}";
        CloudEvent event = event(AuthenticatorActivated.TYPE.ceType(), activated);
        publish("lena", event);
        publish("lena", event);
        awaitLicence(serial, 1, 0);
        given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).when().get("/api/v1/users/lena").then()
                .body("registrations.find { it.registrationId == '" + rid + "' }.status", equalTo("ACTIVATED"))
                .body("registrations.find { it.registrationId == '" + rid + "' }.instanceId", equalTo(iid));

        publish("lena", event(AuthenticatorRevoked.TYPE.ceType(), "{\"instanceId\":\"" + iid + "\",\"userId\":\"lena\",\"domain\":\""
                + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"revokedAt\":\"2026-11-23T11:00:00Z\"}"));
        awaitLicence(serial, 0, 0);
    }

    @Test
    void failed_releasesReservation() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        String rid = register(serial, "mona");
        publish("mona", event(ActivationFailed.TYPE.ceType(), "{\"registrationId\":\"" + rid + "\",\"userId\":\"mona\",\"domain\":\""
                + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"reason\":\"too-many-wrong-signatures\","
                + "\"failedAt\":\"2026-11-23T10:00:00Z\"}"));
        awaitLicence(serial, 0, 0);
        given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).when().get("/api/v1/users/mona").then()
                .body("registrations.find { it.registrationId == '" + rid + "' }.status", equalTo("FAILED"));
    }

    @Test
    void activatedAfterItsRegistrationWasCancelled_neverCounted() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        String cancelled = register(serial, "nora");
        String kept = registerAgain(serial, "nora");
        given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).when().delete("/api/v1/registrations/" + cancelled)
                .then().statusCode(204);
        // provisioning-service finished the device before it heard of the cancel: it revokes that instance itself.
        publish("nora", event(AuthenticatorActivated.TYPE.ceType(), activated(cancelled, "iid-late-" + serial, "nora", serial)));
        publish("nora", event(AuthenticatorActivated.TYPE.ceType(), activated(kept, "iid-kept-" + serial, "nora", serial)));
        // In order on one partition: once the second is counted, the first was seen and left uncounted.
        awaitLicence(serial, 1, 0);
        publish("nora", event(AuthenticatorRevoked.TYPE.ceType(), "{\"instanceId\":\"iid-late-" + serial + "\",\"userId\":\"nora\","
                + "\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"revokedAt\":\"2026-11-23T11:00:00Z\","
                + "\"reason\":\"registration-closed\"}"));
        publish("nora", event(AuthenticatorRevoked.TYPE.ceType(), "{\"instanceId\":\"iid-kept-" + serial + "\",\"userId\":\"nora\","
                + "\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"revokedAt\":\"2026-11-23T11:00:00Z\"}"));
        awaitLicence(serial, 0, 0);
    }

    /**
     * Cancels racing activations: each registration ends either activated and counted (its cancel refused)
     * or cancelled and released (its activation ignored), never both, never neither.
     */
    @Test
    void activationsRacingCancels_eachSettledOnce_licenceBooksExact() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int pairs = 8;
        List<String> serials = new ArrayList<>();
        List<String> rids = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            serials.add("SN-" + run + "-" + i);
            rids.add(register(serials.get(i), "race" + i + "-" + run));
        }
        String sentinelSerial = "SN-" + run + "-last";
        String sentinel = register(sentinelSerial, "race-last-" + run);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> cancels = new ArrayList<>();
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new CloudEventSerializer())) {
            for (int i = 0; i < pairs; i++) {
                String rid = rids.get(i);
                cancels.add(pool.submit(() -> given().header("Authorization", TestTokens.bearer(DOMAIN, "registration"))
                        .when().delete("/api/v1/registrations/" + rid).then().extract().statusCode()));
                // One key for every event: one partition, so the sentinel is applied after all of them.
                producer.send(new ProducerRecord<>(prefix + Topics.ACTIVATIONS, "race-" + run, event(AuthenticatorActivated.TYPE.ceType(),
                        activated(rid, "iid-race-" + run + "-" + i, "race" + i + "-" + run, serials.get(i)))));
            }
            producer.send(new ProducerRecord<>(prefix + Topics.ACTIVATIONS, "race-" + run, event(AuthenticatorActivated.TYPE.ceType(),
                    activated(sentinel, "iid-race-" + run + "-last", "race-last-" + run, sentinelSerial)))).get();
        } finally {
            pool.shutdown();
        }
        awaitLicence(sentinelSerial, 1, 0);
        for (int i = 0; i < pairs; i++) {
            int cancel = cancels.get(i).get();
            String status = given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).when()
                    .get("/api/v1/registrations/" + rids.get(i)).then().statusCode(200).extract().path("status");
            if (cancel == 204) {
                assertEquals("cancelled", status);
                awaitLicence(serials.get(i), 0, 0);
            } else {
                assertEquals(409, cancel, "a cancel is done or refused as closed");
                assertEquals("activated", status);
                awaitLicence(serials.get(i), 1, 0);
            }
        }
    }

    private static String activated(String rid, String iid, String user, String serial) {
        return "{\"registrationId\":\"" + rid + "\",\"instanceId\":\"" + iid + "\",\"userId\":\"" + user + "\",\"domain\":\""
                + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"mode\":\"offline\",\"otp\":\"totp:sha1:6:30\","
                + "\"activatedAt\":\"2026-11-23T10:00:00Z\"}";
    }

    private String registerAgain(String serial, String user) {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}")
                .when().post("/api/v1/users/register").then().statusCode(201).extract().path("registrationId");
    }

    @Test
    void migrated_settlesTheMigration_licenceUntouched_revocationGivesBackOneActivation() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        String rid = register(serial, "nina");
        String iid = "iid-" + UUID.randomUUID().toString().substring(0, 8);
        publish("nina", event(AuthenticatorActivated.TYPE.ceType(), "{\"registrationId\":\"" + rid + "\",\"instanceId\":\"" + iid
                + "\",\"userId\":\"nina\",\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"mode\":\"offline\","
                + "\"otp\":\"totp:sha1:6:30\",\"activatedAt\":\"2026-11-23T10:00:00Z\"}"));
        awaitLicence(serial, 1, 0);
        String migration = given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).contentType("application/json")
                .body("{\"userId\":\"nina\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"migrate\",\"instanceId\":\"" + iid
                        + "\"}").when().post("/api/v1/users/register").then().statusCode(201).extract().path("registrationId");
        awaitLicence(serial, 1, 0);

        publish("nina", event(DeviceMigrated.TYPE.ceType(), "{\"registrationId\":\"" + migration + "\",\"instanceId\":\"" + iid
                + "\",\"userId\":\"nina\",\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"publicKey\":\""
                + "A".repeat(122) + "\",\"certificate\":\"" + "B".repeat(400) + "\",\"platform\":\"ios\",\"biometric\":true,"
                + "\"migratedAt\":\"2026-11-23T10:30:00Z\"}"));
        awaitStatus("nina", migration, "ACTIVATED");
        given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).when().get("/api/v1/registrations/" + migration)
                .then().body("instanceId", equalTo(iid));
        awaitLicence(serial, 1, 0);

        publish("nina", event(AuthenticatorRevoked.TYPE.ceType(), "{\"instanceId\":\"" + iid + "\",\"userId\":\"nina\",\"domain\":\""
                + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"revokedAt\":\"2026-11-23T11:00:00Z\"}"));
        awaitLicence(serial, 0, 0);
        awaitStatus("nina", migration, "REVOKED");
    }

    private void awaitStatus(String user, String rid, String status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).when().get("/api/v1/users/" + user)
                    .then().extract().path("registrations.find { it.registrationId == '" + rid + "' }.status");
            if (status.equals(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Expected " + status + " but was " + last);
    }

    private String register(String serial, String user) {
        given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).contentType("application/json")
                .body("{\"licences\":[{\"serialNumber\":\"" + serial + "\",\"authenticatorType\":\"hardware-offline\","
                        + "\"licenceModel\":\"MDL\",\"maxActivations\":2}]}")
                .when().post("/api/v1/licences").then().statusCode(201);
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "registration")).contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}")
                .when().post("/api/v1/users/register").then().statusCode(201).extract().path("registrationId");
    }

    private void awaitLicence(String serial, int used, int reserved) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            var licence = given().header("Authorization", TestTokens.bearer(DOMAIN, "registration"))
                    .when().get("/api/v1/licences/" + serial).then().statusCode(200).extract();
            last = licence.path("activationsUsed") + "/" + licence.path("activationsReserved");
            if (last.equals(used + "/" + reserved)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Expected used/reserved " + used + "/" + reserved + " but was " + last);
    }

    private void publish(String user, CloudEvent event) throws Exception {
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new CloudEventSerializer())) {
            producer.send(new ProducerRecord<>(prefix + Topics.ACTIVATIONS, user + "@" + DOMAIN, event)).get();
        }
    }

    private static CloudEvent event(String type, String json) {
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create("/countersign/provisioning-service"))
                .withType(type).withTime(OffsetDateTime.now()).withDataContentType("application/json")
                .withData(json.getBytes(StandardCharsets.UTF_8)).build();
    }

}
