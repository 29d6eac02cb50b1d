package org.countersign.provisioning.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.UUID;
import org.countersign.events.Topics;
import org.countersign.events.payload.ActivationFailed;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.DeviceMigrated;
import org.countersign.protocol.ActivationMessage1;
import org.countersign.protocol.ActivationSignature;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.P256;
import org.countersign.protocol.ProtocolUris;
import org.countersign.secrets.Secret;
import org.countersign.testing.TopicReader;
import org.junit.jupiter.api.Test;

/**
 * Migration of an offline instance online ("Rescan Device") on the real stack: the offline instance
 * is activated through the API with two images first, then a migrate registration names it.
 */
@QuarkusTest
class MigrationTest extends ActivationTestBase {

    /** An active offline instance and the IS its device holds. */
    record OfflineInstance(String registrationId, String iid, Secret instanceSecret) {
    }

    @Test
    void migration_keepsIdAndSecret_noNewCredential_deviceMigratedPublished() throws Exception {
        String user = user();
        OfflineInstance offline = offlineInstance(user);
        String sealedBefore = sql("SELECT sealed_instance_secret FROM authenticator_instances WHERE instance_id = '" + offline.iid() + "'");
        Registration registration = registered("migrate", offline.iid(), null, user, Instant.now().plusSeconds(600));

        KeyPair keys = P256.generateKeyPair();
        EnrolmentRequest request = EnrolmentRequest.create(registration.ap(), registration.rid(), registration.sn(), keys);
        enrol(enrolment(registration, request)).statusCode(201).body("instanceId", equalTo(offline.iid()))
                .body("otp", equalTo("totp:sha1:6:30")).body("epk", nullValue()).body("n", nullValue()).body("c", nullValue())
                .body("certificate", notNullValue()).body("caCertificate", notNullValue());
        // The device keeps the IS it has, and proves it with the confirmation code.
        OnlineDevice device = new OnlineDevice(registration, keys, request, offline.iid(), "totp:sha1:6:30", offline.instanceSecret());
        confirm(registration, device.confirmation()).statusCode(200).body("instanceId", equalTo(offline.iid()))
                .body("mode", equalTo("online")).body("migratedAt", notNullValue()).body("platform", equalTo("android"))
                .body("registrationId", equalTo(offline.registrationId()));

        assertEquals(sealedBefore, sql("SELECT sealed_instance_secret FROM authenticator_instances WHERE instance_id = '"
                + offline.iid() + "'"), "the instance keeps its secret");
        JsonNode migrated = JSON.readTree(event(Topics.ACTIVATIONS, DeviceMigrated.TYPE.ceType(), registration.rid()).value());
        assertEquals(offline.iid(), migrated.get("instanceId").asText());
        assertEquals(OnlineActivationTest.base64url(device.keys().getPublic().getEncoded()), migrated.get("publicKey").asText());
        Thread.sleep(1000);
        assertEquals(1, TopicReader.readAll(bootstrap, prefix + Topics.INTERNAL_CREDENTIALS, r -> CredentialProvisioned.TYPE.ceType()
                .equals(TopicReader.header(r, "ce_type")) && new String(r.value(), StandardCharsets.UTF_8).contains(offline.iid()))
                .size(), "the otp-service's credential is untouched: no second CredentialProvisioned");
        assertEquals(0, TopicReader.readAll(bootstrap, prefix + Topics.ACTIVATIONS, r -> AuthenticatorActivated.TYPE.ceType()
                .equals(TopicReader.header(r, "ce_type")) && new String(r.value(), StandardCharsets.UTF_8).contains(registration.rid()))
                .size(), "no new authenticator");

        // Already online: a further migration is refused, for good.
        Registration third = registered("migrate", offline.iid(), null, user, Instant.now().plusSeconds(600));
        refusedForGood(third);
    }

    @Test
    void migrationOfAnotherUsersOrARevokedInstance_refusedForGood() throws Exception {
        OfflineInstance someoneElses = offlineInstance(user());
        refusedForGood(registered("migrate", someoneElses.iid(), null, user(), Instant.now().plusSeconds(600)));

        String user = user();
        OfflineInstance revoked = offlineInstance(user);
        given().header("Authorization", bearer()).when().delete("/api/v1/instances/" + revoked.iid()).then().statusCode(204);
        refusedForGood(registered("migrate", revoked.iid(), null, user, Instant.now().plusSeconds(600)));
    }

    @Test
    void instanceRevokedBetweenEnrolmentAndConfirmation_refusedForGood() throws Exception {
        String user = user();
        OfflineInstance offline = offlineInstance(user);
        Registration registration = registered("migrate", offline.iid(), null, user, Instant.now().plusSeconds(600));
        OnlineDevice device = enrolled(registration, offline.instanceSecret());
        given().header("Authorization", bearer()).when().delete("/api/v1/instances/" + offline.iid()).then().statusCode(204);
        confirm(registration, device.confirmation()).statusCode(409).body("type", equalTo(PROBLEMS + "instance-not-migratable"));
        state(registration).body("status", equalTo("failed"));
    }

    @Test
    void migrationConfirmedWithAnotherSecret_counted() throws Exception {
        String user = user();
        OfflineInstance offline = offlineInstance(user);
        Registration registration = registered("migrate", offline.iid(), null, user, Instant.now().plusSeconds(600));
        OnlineDevice device = enrolled(registration, Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH));
        confirm(registration, device.confirmation()).statusCode(422).body("type", equalTo(PROBLEMS + "wrong-activation-signature"));
        state(registration).body("attemptsLeft", equalTo(4));
    }

    private void refusedForGood(Registration registration) throws Exception {
        enrol(enrolment(registration, EnrolmentRequest.create(registration.ap(), registration.rid(), registration.sn(),
                P256.generateKeyPair()))).statusCode(409).body("type", equalTo(PROBLEMS + "instance-not-migratable"));
        state(registration).body("status", equalTo("failed"));
        JsonNode failed = JSON.readTree(event(Topics.ACTIVATIONS, ActivationFailed.TYPE.ceType(), registration.rid()).value());
        assertEquals("instance-not-migratable", failed.get("reason").asText());
    }

    private static String user() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Offline activation through the API, as OfflineActivationTest drives it. */
    private OfflineInstance offlineInstance(String user) throws Exception {
        Registration registration = registered("offline", null, null, user, Instant.now().plusSeconds(600));
        DeviceCode code = DeviceCode.random();
        ExtractableResponse<Response> added = given().header("Authorization", bearer()).contentType("application/json")
                .body("{\"deviceCode\":\"" + code.digits() + "\"}").when()
                .post("/api/v1/registrations/" + registration.rid() + "/device").then().statusCode(200).extract();
        String iid = added.path("instanceId");
        Secret instanceSecret = ProtocolUris.parseActivationMessage2(added.path("activationMessage2")).open(ActivationMessage1.of(
                registration.sn(), registration.rid(), registration.ap(), null, user), code);
        given().header("Authorization", bearer()).contentType("application/json")
                .body("{\"deviceCode\":\"" + code.digits() + "\",\"signature\":\"" + ActivationSignature.compute(
                        InstanceKeys.of(instanceSecret), registration.rid(), iid, code) + "\"}")
                .when().post("/api/v1/registrations/" + registration.rid() + "/activate").then().statusCode(200)
                .body("mode", equalTo("offline"));
        return new OfflineInstance(registration.rid(), iid, instanceSecret);
    }
}
