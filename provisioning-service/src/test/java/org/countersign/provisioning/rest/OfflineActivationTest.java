package org.countersign.provisioning.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.events.Housekeeping;
import org.countersign.events.Topics;
import org.countersign.events.payload.ActivationFailed;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.DeviceAdded;
import org.countersign.events.payload.RegistrationCancelled;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.events.payload.RegistrationExpired;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.protocol.ActivationMessage1;
import org.countersign.protocol.ActivationMessage2;
import org.countersign.protocol.ActivationSignature;
import org.countersign.protocol.Base32;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.ProtocolUris;
import org.countersign.provisioning.client.PendingRegistration;
import org.countersign.provisioning.service.PendingActivations;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.testing.SharedStack;
import org.countersign.testing.TestEvents;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.junit.jupiter.api.Test;

/**
 * Offline activation on the real stack: registrations arrive as registration-service publishes them
 * (a sealed RegistrationPending on the internal topic), and this test plays the device with the
 * protocol library, exactly as a device built by others would compute.
 */
@QuarkusTest
class OfflineActivationTest extends ActivationTestBase {

    @Inject
    PendingActivations pendingActivations;


    @Inject
    RedisDataSource redis;

    @Inject
    Housekeeping housekeeping;

    static ActivationMessage1 message1(Registration registration) {
        return ActivationMessage1.of(registration.sn(), registration.rid(), registration.ap(), null, registration.userId());
    }

    /** What the device holds after add-device. */
    record Device(Registration registration, DeviceCode code, String iid, Secret instanceSecret) {
        String signature() {
            return ActivationSignature.compute(InstanceKeys.of(instanceSecret), registration.rid(), iid, code);
        }
    }

    @Test
    void addDeviceThenActivate_instanceActive_eventsCarryNoSecret() throws Exception {
        Registration registration = registered(Instant.now().plusSeconds(600));
        Device device = addDevice(registration);
        String sealedIs = sql("SELECT sealed_instance_secret FROM activations WHERE registration_id = '" + registration.rid() + "'");
        assertTrue(sealedIs.startsWith("v2."), "the instance secret is stored sealed");

        activate(registration, device.code().display(), device.signature()).statusCode(200)
                .body("instanceId", equalTo(device.iid())).body("status", equalTo("active")).body("mode", equalTo("offline"))
                .body("otp", equalTo("totp:sha1:6:30")).body("userId", equalTo(registration.userId()))
                .body("serialNumber", equalTo(registration.sn()));
        given().header("Authorization", bearer()).when().get("/api/v1/instances/" + device.iid()).then().statusCode(200)
                .body("registrationId", equalTo(registration.rid()));
        given().header("Authorization", bearer()).queryParam("userId", registration.userId()).when().get("/api/v1/instances")
                .then().statusCode(200).body("instanceId", org.hamcrest.Matchers.contains(device.iid()));
        state(registration).body("status", equalTo("activated")).body("attemptsLeft", equalTo(0));
        assertEquals("null|null|null", sql("SELECT coalesce(sealed_activation_password, 'null') || '|' || coalesce("
                + "sealed_device_code, 'null') || '|' || coalesce(sealed_instance_secret, 'null') FROM activations"
                + " WHERE registration_id = '" + registration.rid() + "'"), "a finished activation keeps no secret");

        ConsumerRecord<String, byte[]> added = event(Topics.ACTIVATIONS, DeviceAdded.TYPE.ceType(), registration.rid());
        ConsumerRecord<String, byte[]> activated = event(Topics.ACTIVATIONS, AuthenticatorActivated.TYPE.ceType(), registration.rid());
        assertTrue(added.partition() == activated.partition() && added.offset() < activated.offset(), "in order, one partition");
        JsonNode data = JSON.readTree(activated.value());
        assertEquals(device.iid(), data.get("instanceId").asText());
        assertEquals("offline", data.get("mode").asText());
        assertEquals("totp:sha1:6:30", data.get("otp").asText());
        assertEquals("/countersign/provisioning-service", TopicReader.header(activated, "ce_source"));
        assertEquals(registration.userId() + "@" + DOMAIN, activated.key());

        ConsumerRecord<String, byte[]> credential = event(Topics.INTERNAL_CREDENTIALS, CredentialProvisioned.TYPE.ceType(),
                device.iid());
        String sealed = JSON.readTree(credential.value()).get("sealedInstanceSecret").asText();
        assertArrayEquals(device.instanceSecret().reveal(), TestSealing.openAs("otp", SealedValue.parse(sealed),
                CredentialProvisioned.instanceSecretBinding(DOMAIN, registration.userId(), device.iid())).reveal(),
                "IS reaches the otp-service sealed for transport, bound to its instance");

        String base32Ap = Base32.encode(registration.ap().reveal());
        String base64Is = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(device.instanceSecret().reveal());
        for (ConsumerRecord<String, byte[]> record : List.of(added, activated, credential)) {
            String text = new String(record.value(), StandardCharsets.UTF_8);
            assertFalse(text.contains(base32Ap) || text.contains(base64Is) || text.contains(device.signature())
                    || text.contains(device.code().digits()), "no secret in " + text);
        }
    }

    @Test
    void deviceCodeTypos_400_useNoAttempt() throws Exception {
        Registration registration = registered(Instant.now().plusSeconds(600));
        DeviceCode code = DeviceCode.random();
        String good = code.digits();
        char wrongCheck = (char) ('0' + (good.charAt(13) - '0' + 1) % 10);
        for (String typo : List.of("1234 5678 abcd 12", "1234 5678 9012 3", good.substring(0, 13) + wrongCheck,
                "99999999999999", code.display().replace(' ', '\t'), "")) {
            addDevice(registration, typo).statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "invalid-device-code")).body("detail", containsString("no attempt"));
        }
        activate(registration, good.substring(0, 13) + wrongCheck, "12345678").statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-device-code"));
        activate(registration, good, "1234567").statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
        state(registration).body("status", equalTo("pending")).body("attemptsLeft", equalTo(5));
    }

    @Test
    void stateConflicts_409_repeatedAddDeviceCounted() throws Exception {
        Registration registration = registered(Instant.now().plusSeconds(600));
        DeviceCode code = DeviceCode.random();
        activate(registration, code.digits(), "12345678").statusCode(409)
                .body("type", equalTo(PROBLEMS + "activation-state-conflict")).body("detail", containsString("add the device"));
        Device device = addDevice(registration, code);
        addDevice(registration, code.digits()).statusCode(409).body("type", equalTo(PROBLEMS + "activation-state-conflict"))
                .body("detail", containsString("4 attempts left"));
        addDevice(registration, DeviceCode.random().digits()).statusCode(409).body("detail", containsString("3 attempts left"));
        activate(registration, code.digits(), device.signature()).statusCode(200);
        activate(registration, code.digits(), device.signature()).statusCode(409)
                .body("type", equalTo(PROBLEMS + "activation-state-conflict")).body("detail", containsString("already activated"));
        addDevice(registration, code.digits()).statusCode(409);
    }

    @Test
    void parallelAddDevicesAndActivates_oneDeviceOneInstanceOneOfEachEvent() throws Exception {
        Registration registration = registered(Instant.now().plusSeconds(600));
        List<DeviceCode> codes = List.of(DeviceCode.random(), DeviceCode.random(), DeviceCode.random(), DeviceCode.random());
        List<ValidatableResponse> added = atOnce(codes.size(), i -> addDevice(registration, codes.get(i).display()));
        Device device = null;
        for (int i = 0; i < codes.size(); i++) {
            ValidatableResponse answer = added.get(i);
            if (answer.extract().statusCode() == 200) {
                assertNull(device, "one add-device took the registration");
                String iid = answer.extract().path("instanceId");
                ActivationMessage2 message2 = ProtocolUris.parseActivationMessage2(answer.extract().path("activationMessage2"));
                device = new Device(registration, codes.get(i), iid, message2.open(message1(registration), codes.get(i)));
            } else {
                answer.statusCode(409).contentType("application/problem+json")
                        .body("type", equalTo(PROBLEMS + "activation-state-conflict"));
            }
        }
        assertNotNull(device, "one add-device took the registration");
        state(registration).body("status", equalTo("device_added")).body("attemptsLeft", equalTo(5 - (codes.size() - 1)))
                .body("instanceId", equalTo(device.iid()));

        Device winner = device;
        List<ValidatableResponse> activated = atOnce(4, i -> activate(registration, winner.code().digits(), winner.signature()));
        int active = 0;
        for (ValidatableResponse answer : activated) {
            if (answer.extract().statusCode() == 200) {
                active++;
                answer.body("instanceId", equalTo(winner.iid()));
            } else {
                answer.statusCode(409).body("type", equalTo(PROBLEMS + "activation-state-conflict"))
                        .body("detail", containsString("already activated"));
            }
        }
        assertEquals(1, active, "one activation per registration");
        assertEquals("1", sql("SELECT count(*) FROM authenticator_instances WHERE registration_id = '" + registration.rid() + "'"));
        assertEquals("1|1|1", sql("SELECT count(*) FILTER (WHERE event_type = '" + DeviceAdded.TYPE.ceType() + "') || '|' ||"
                + " count(*) FILTER (WHERE event_type = '" + AuthenticatorActivated.TYPE.ceType() + "') || '|' ||"
                + " count(*) FILTER (WHERE event_type = '" + CredentialProvisioned.TYPE.ceType() + "') FROM outbox_events"
                + " WHERE subject IN ('registration/" + registration.rid() + "', 'instance/" + winner.iid() + "')"));
    }

    /** Runs n calls released together, and their answers in the order asked. */
    private static List<ValidatableResponse> atOnce(int n, java.util.function.IntFunction<ValidatableResponse> call)
            throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<ValidatableResponse>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(k);
                }));
            }
            start.countDown();
            List<ValidatableResponse> answers = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<ValidatableResponse> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongSignatures_fifthFailsForGood_activationFailedPublished() throws Exception {
        Registration registration = registered(Instant.now().plusSeconds(600));
        Device device = addDevice(registration);
        String wrong = device.signature().equals("00000000") ? "00000001" : "00000000";
        for (int left = 4; left >= 1; left--) {
            activate(registration, device.code().digits(), wrong).statusCode(422)
                    .body("type", equalTo(PROBLEMS + "wrong-activation-signature"))
                    .body("detail", containsString(left + (left == 1 ? " attempt left" : " attempts left")));
        }
        // The right signature with another device code is as wrong as a wrong signature.
        activate(registration, DeviceCode.random().digits(), device.signature()).statusCode(409)
                .body("type", equalTo(PROBLEMS + "activation-failed"));
        activate(registration, device.code().digits(), device.signature()).statusCode(409)
                .body("type", equalTo(PROBLEMS + "activation-failed"));
        state(registration).body("status", equalTo("failed"));
        JsonNode failed = JSON.readTree(event(Topics.ACTIVATIONS, ActivationFailed.TYPE.ceType(), registration.rid()).value());
        assertEquals("too-many-wrong-signatures", failed.get("reason").asText());
        assertEquals(device.iid(), failed.get("instanceId").asText());
    }

    @Test
    void expiredOrCancelledRegistration_410And409() throws Exception {
        Registration expired = registered(Instant.now().minusSeconds(1));
        addDevice(expired, DeviceCode.random().digits()).statusCode(410).body("type", equalTo(PROBLEMS + "registration-expired"));

        Registration cancelled = registered(Instant.now().plusSeconds(600));
        TestEvents.publish(bootstrap, prefix + Topics.REGISTRATIONS, cancelled.userId() + "@" + DOMAIN,
                RegistrationCancelled.TYPE.ceType(), "/countersign/registration-service", "{\"registrationId\":\""
                        + cancelled.rid() + "\",\"userId\":\"" + cancelled.userId() + "\",\"domain\":\"" + DOMAIN
                        + "\",\"serialNumber\":\"" + cancelled.sn() + "\",\"cancelledAt\":\"" + Instant.now() + "\"}");
        await(() -> "cancelled".equals(state(cancelled).extract().path("status")));
        addDevice(cancelled, DeviceCode.random().digits()).statusCode(409).body("type", equalTo(PROBLEMS + "registration-closed"));
    }

    @Test
    void otherDomain_404_unknownEverywhere_503WhenRegistrationCannotBeAsked() throws Exception {
        Registration registration = registered(Instant.now().plusSeconds(600));
        String other = TestTokens.bearer(TestTokens.OTHER_DOMAIN, "provisioning");
        given().header("Authorization", other).contentType("application/json")
                .body("{\"deviceCode\":\"" + DeviceCode.random().digits() + "\"}")
                .when().post("/api/v1/registrations/" + registration.rid() + "/device").then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-registration"));
        given().header("Authorization", other).when().get("/api/v1/registrations/" + registration.rid() + "/activation")
                .then().statusCode(404);
        Device device = addDevice(registration);
        activate(registration, device.code().digits(), device.signature()).statusCode(200);
        given().header("Authorization", other).when().get("/api/v1/instances/" + device.iid()).then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-instance"));
        given().header("Authorization", other).when().delete("/api/v1/instances/" + device.iid()).then().statusCode(404);
        given().header("Authorization", bearer()).when().get("/api/v1/instances/" + device.iid()).then()
                .body("status", equalTo("active"));

        // No event and no registration-service here: the call is refused as unavailable, and nothing is written.
        String unknown = UUID.randomUUID().toString();
        given().header("Authorization", bearer()).contentType("application/json")
                .body("{\"deviceCode\":\"" + DeviceCode.random().digits() + "\"}")
                .when().post("/api/v1/registrations/" + unknown + "/device").then().statusCode(503)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "registration-service-unavailable"));
        assertEquals("0", sql("SELECT count(*) FROM activations WHERE registration_id = '" + unknown + "'"));
    }

    /**
     * A registration a device call recorded from registration-service before its RegistrationPending came
     * (activations in waves): the event, when it comes, changes nothing and is not even opened. The event
     * here carries a value that does not open for its registration: opened, it would be parked, as it was
     * before this replica remembered what its device calls recorded.
     */
    @Test
    void recordedByADeviceCall_itsLaterEventChangesNothing_notOpened() throws Throwable {
        String user = "wave-" + UUID.randomUUID().toString().substring(0, 8);
        String rid = UUID.randomUUID().toString();
        Instant expiresAt = Instant.now().plus(Duration.ofMinutes(15));
        Secret ap = Secret.random(20);
        SealedValue sealed = TestSealing.sealFor("provisioning", ap, RegistrationPending.activationPasswordBinding(DOMAIN, user, rid));
        VertxContextSupport.subscribeAndAwait(() -> pendingActivations.record(new PendingRegistration(rid, user, DOMAIN,
                "SN-W", "offline", null, null, sealed.toText(), expiresAt, "pending")));
        String recorded = sql("SELECT sealed_activation_password FROM activations WHERE registration_id = '" + rid + "'");

        SealedValue ofAnotherRegistration = TestSealing.sealFor("provisioning", Secret.random(20),
                RegistrationPending.activationPasswordBinding(DOMAIN, user, UUID.randomUUID().toString()));
        publishPending(rid, "SN-W", "offline", null, null, user, expiresAt, ofAnotherRegistration);
        // The same key (the user's), so the same partition: once the next one is applied, the first was handled.
        Registration next = publishPending(UUID.randomUUID().toString(), "SN-X", "offline", null, null, user, expiresAt);
        await(() -> {
            try {
                return "1".equals(sql("SELECT count(*) FROM activations WHERE registration_id = '" + next.rid() + "'"));
            } catch (Exception e) {
                return false;
            }
        });

        assertEquals(recorded, sql("SELECT sealed_activation_password FROM activations WHERE registration_id = '" + rid + "'"),
                "the device call's record stands");
        assertTrue(TopicReader.readAll(bootstrap, prefix + Topics.DEAD_LETTERS,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(rid)).isEmpty(), "the event was not opened, so not parked");
        Device device = addDevice(new Registration(rid, "SN-W", user, ap));
        activate(new Registration(rid, "SN-W", user, ap), device.code().digits(), device.signature()).statusCode(200);
    }

    @Test
    void redisFlushedBetweenAddDeviceAndActivate_stillCompletes() throws Exception {
        Registration registration = registered(Instant.now().plusSeconds(600));
        Device device = addDevice(registration);
        String cached = redis.value(String.class).get("cs:provisioning:activation:" + registration.rid());
        assertTrue(cached != null && cached.contains("DEVICE_ADDED"), "the pending activation is cached: " + cached);
        assertFalse(cached.contains(Base32.encode(registration.ap().reveal())), "the cached password is sealed");
        long ttl = redis.key().pttl("cs:provisioning:activation:" + registration.rid());
        assertTrue(ttl > 500_000 && ttl <= 600_000, "the copy expires with the registration: " + ttl);
        redis.flushall();
        activate(registration, device.code().digits(), device.signature()).statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void redisDown_wholeActivationStillCompletes() throws Exception {
        Registration registration = registered(Instant.now().plusSeconds(600));
        SharedStack.get().stopRedis();
        try {
            Device device = addDevice(registration);
            activate(registration, device.code().digits(), device.signature()).statusCode(200);
        } finally {
            SharedStack.get().restartRedis();
        }
    }

    @Test
    void revoke_onceWithEvent_againChangesNothing() throws Exception {
        Registration registration = registered(Instant.now().plusSeconds(600));
        Device device = addDevice(registration);
        activate(registration, device.code().digits(), device.signature()).statusCode(200);
        given().header("Authorization", bearer()).when().delete("/api/v1/instances/" + device.iid()).then().statusCode(204);
        given().header("Authorization", bearer()).when().delete("/api/v1/instances/" + device.iid()).then().statusCode(204);
        given().header("Authorization", bearer()).when().get("/api/v1/instances/" + device.iid()).then()
                .body("status", equalTo("revoked")).body("revokedAt", org.hamcrest.Matchers.notNullValue());
        event(Topics.ACTIVATIONS, AuthenticatorRevoked.TYPE.ceType(), device.iid());
        Thread.sleep(1500);
        assertEquals(1, TopicReader.readAll(bootstrap, prefix + Topics.ACTIVATIONS, r -> AuthenticatorRevoked.TYPE.ceType()
                .equals(TopicReader.header(r, "ce_type")) && new String(r.value(), StandardCharsets.UTF_8).contains(device.iid()))
                .size(), "a second revocation publishes nothing");
        assertEquals("null", sql("SELECT coalesce(sealed_instance_secret, 'null') FROM authenticator_instances"
                + " WHERE instance_id = '" + device.iid() + "'"), "a revoked instance keeps no secret");
    }

    // --- the device and the registration-service, played by the protocol library and the broker ---

    @Test
    void cancelledBeforeItsPendingArrives_laterPendingOpensNothing() throws Exception {
        String rid = UUID.randomUUID().toString();
        String user = "user-" + rid.substring(0, 8);
        String sn = "SN-" + rid.substring(0, 8);
        // The public topic overtakes the internal one: the close comes first.
        publishClose(RegistrationCancelled.TYPE.ceType(), rid, user, sn, "\"cancelledAt\":\"" + Instant.now() + "\"");
        await(() -> given().header("Authorization", bearer()).when().get("/api/v1/registrations/" + rid + "/activation")
                .then().extract().statusCode() == 200);
        Registration late = publishPending(rid, sn, "offline", null, null, user, Instant.now().plusSeconds(600));
        registered("offline", null, null, user, Instant.now().plusSeconds(600)); // same key and partition: once it is seen, so is the late one
        state(late).body("status", equalTo("cancelled"));
        addDevice(late, DeviceCode.random().digits()).statusCode(409).body("type", equalTo(PROBLEMS + "registration-closed"));
    }

    @Test
    void cancelledOrExpiredAfterTheDeviceFinished_instanceRevoked() throws Exception {
        Registration cancelled = registered(Instant.now().plusSeconds(600));
        Device first = addDevice(cancelled);
        activate(cancelled, first.code().digits(), first.signature()).statusCode(200);
        publishClose(RegistrationCancelled.TYPE.ceType(), cancelled.rid(), cancelled.userId(), cancelled.sn(),
                "\"cancelledAt\":\"" + Instant.now() + "\",\"activationType\":\"offline\",\"reason\":\"cancelled\"");
        awaitRevoked(first.iid(), "registration-closed");

        Registration expired = registered(Instant.now().plusSeconds(600));
        Device second = addDevice(expired);
        activate(expired, second.code().digits(), second.signature()).statusCode(200);
        publishClose(RegistrationExpired.TYPE.ceType(), expired.rid(), expired.userId(), expired.sn(),
                "\"expiredAt\":\"" + Instant.now() + "\",\"activationType\":\"offline\"");
        awaitRevoked(second.iid(), "registration-closed");
        state(expired).body("status", equalTo("activated"));
    }

    @Test
    void userDeactivated_openActivationsCancelled_activeInstancesRevoked() throws Exception {
        String user = "user-" + UUID.randomUUID().toString().substring(0, 8);
        Registration done = registered("offline", null, null, user, Instant.now().plusSeconds(600));
        Device device = addDevice(done);
        activate(done, device.code().digits(), device.signature()).statusCode(200);
        Registration open = registered("offline", null, null, user, Instant.now().plusSeconds(600));
        Registration otherUsers = registered(Instant.now().plusSeconds(600));
        TestEvents.publish(bootstrap, prefix + Topics.REGISTRATIONS, user + "@" + DOMAIN, UserDeactivated.TYPE.ceType(),
                "/countersign/registration-service", "{\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN
                        + "\",\"deactivatedAt\":\"" + Instant.now() + "\"}");
        awaitRevoked(device.iid(), "user-deactivated");
        state(open).body("status", equalTo("cancelled"));
        addDevice(open, DeviceCode.random().digits()).statusCode(409).body("type", equalTo(PROBLEMS + "registration-closed"));
        state(otherUsers).body("status", equalTo("pending"));
    }

    @Test
    void finishedActivationsPastTheirRetention_purged_instanceAndOpenOnesKept() throws Exception {
        Registration finished = registered(Instant.now().plusSeconds(600));
        Device device = addDevice(finished);
        activate(finished, device.code().digits(), device.signature()).statusCode(200);
        Registration open = registered(Instant.now().plusSeconds(600));
        execute("UPDATE activations SET updated_at = now() - interval '31 days' WHERE registration_id IN ('" + finished.rid()
                + "', '" + open.rid() + "')");

        housekeeping.run();

        assertEquals("0", sql("SELECT count(*) FROM activations WHERE registration_id = '" + finished.rid() + "'"));
        assertEquals("1", sql("SELECT count(*) FROM activations WHERE registration_id = '" + open.rid() + "'"));
        given().header("Authorization", bearer()).when().get("/api/v1/instances/" + device.iid()).then().statusCode(200)
                .body("status", equalTo("active"));
    }

    /** A RegistrationCancelled or RegistrationExpired, with the fields given after the common ones. */
    private void publishClose(String ceType, String rid, String user, String sn, String moreFields) throws Exception {
        TestEvents.publish(bootstrap, prefix + Topics.REGISTRATIONS, user + "@" + DOMAIN, ceType, "/countersign/registration-service",
                "{\"registrationId\":\"" + rid + "\",\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN
                        + "\",\"serialNumber\":\"" + sn + "\"," + moreFields + "}");
    }

    private void awaitRevoked(String instanceId, String reason) throws Exception {
        await(() -> "revoked".equals(given().header("Authorization", bearer()).when().get("/api/v1/instances/" + instanceId)
                .then().statusCode(200).extract().path("status")));
        JsonNode revoked = JSON.readTree(event(Topics.ACTIVATIONS, AuthenticatorRevoked.TYPE.ceType(), instanceId).value());
        assertEquals(reason, revoked.get("reason").asText());
    }

    private Registration registered(Instant expiresAt) throws Exception {
        return registered("offline", expiresAt);
    }

    private Device addDevice(Registration registration) {
        return addDevice(registration, DeviceCode.random());
    }

    private Device addDevice(Registration registration, DeviceCode code) {
        ValidatableResponse response = addDevice(registration, code.display()).statusCode(200).header("Cache-Control", "no-store")
                .body("activationMessage2", startsWith("countersign://activate2?v=1&rid=" + registration.rid()));
        String iid = response.extract().path("instanceId");
        ActivationMessage2 message2 = ProtocolUris.parseActivationMessage2(response.extract().path("activationMessage2"));
        assertEquals(iid, message2.iid());
        return new Device(registration, code, iid, message2.open(message1(registration), code));
    }

    private ValidatableResponse addDevice(Registration registration, String typed) {
        return given().header("Authorization", bearer()).contentType("application/json")
                .body("{\"deviceCode\":\"" + typed.replace("\t", "\\t") + "\"}")
                .when().post("/api/v1/registrations/" + registration.rid() + "/device").then();
    }

    private ValidatableResponse activate(Registration registration, String typedCode, String signature) {
        return given().header("Authorization", bearer()).contentType("application/json")
                .body("{\"deviceCode\":\"" + typedCode + "\",\"signature\":\"" + signature + "\"}")
                .when().post("/api/v1/registrations/" + registration.rid() + "/activate").then();
    }
}
