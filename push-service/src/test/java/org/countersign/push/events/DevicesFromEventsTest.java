package org.countersign.push.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.countersign.events.Topics;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.events.payload.DeviceMigrated;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.junit.jupiter.api.Test;

/**
 * Devices learnt from the activations and registrations topics, sent as the other services send them,
 * in any order and more than once; the effect is seen through the admin listing and device tokens.
 */
@QuarkusTest
class DevicesFromEventsTest extends PushTestBase {

    @Test
    void onlineActivation_makesADevice_listedWithItsDetails_onceHoweverOftenItComes() throws Exception {
        String user = freshUser("olga");
        TestDevice device = new TestDevice(user, DOMAIN, "android", true, "ok-" + UUID.randomUUID());
        String eventId = UUID.randomUUID().toString();
        String json = device.activatedJson(Instant.parse("2026-11-23T10:00:00Z"));
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorActivated.TYPE.ceType(), json, eventId);
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorActivated.TYPE.ceType(), json, eventId);
        String againId = UUID.randomUUID().toString();
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorActivated.TYPE.ceType(), json, againId);
        awaitTrue(() -> count("SELECT count(*) FROM processed_events WHERE event_id IN ('" + eventId + "', '" + againId + "')") == 2,
                "both distinct events are applied");
        assertEquals(1, count("SELECT count(*) FROM devices WHERE instance_id = '" + device.iid() + "'"));

        admin().when().get("/api/v1/devices?userId=" + user).then().statusCode(200).body("$", hasSize(1))
                .body("[0].instanceId", equalTo(device.iid())).body("[0].serialNumber", equalTo(device.serial()))
                .body("[0].platform", equalTo("android")).body("[0].deviceName", equalTo(user + "'s phone"))
                .body("[0].biometric", equalTo(true)).body("[0].connected", equalTo(false))
                .body("[0].lastSyncAt", nullValue()).body("[0].authTypes", equalTo(List.of("otp", "push", "signature")))
                .body("[0].wakeUps", equalTo("fcm")).body("[0].config.version", equalTo(0))
                .body("[0].config.pending", equalTo(false)).body("[0].activatedAt", equalTo("2026-11-23T10:00:00Z"));
        // Its token now opens the device routes.
        given().header("Authorization", device.bearer(Instant.now())).when().get("/api/v1/devices/me/pending").then()
                .statusCode(200).body("requests", hasSize(0));
    }

    /**
     * An offline activation makes no push device, and costs no transaction here: in a wave of offline
     * activations push-service would otherwise open one (and write a dedup record) for each.
     */
    @Test
    void offlineAndOtpauthActivations_makeNoPushDevice_passedOverWithoutATransaction() throws Exception {
        String user = freshUser("oscar");
        String offlineInstance = "iid-" + UUID.randomUUID();
        String offline = "{\"registrationId\":\"r-1\",\"instanceId\":\"" + offlineInstance + "\",\"userId\":\"" + user
                + "\",\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"SN-OFF\",\"mode\":\"offline\",\"otp\":\"totp:sha1:6:30\","
                + "\"activatedAt\":\"2026-11-23T10:00:00Z\"}";
        String eventId = UUID.randomUUID().toString();
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorActivated.TYPE.ceType(), offline, eventId);
        // The same key, so the same partition: once the phone's activation is applied, the offline one was read.
        TestDevice phone = new TestDevice(user, DOMAIN, "android", true, "ok-" + UUID.randomUUID());
        String phoneEventId = UUID.randomUUID().toString();
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorActivated.TYPE.ceType(), phone.activatedJson(Instant.now()),
                phoneEventId);
        awaitTrue(() -> count("SELECT count(*) FROM processed_events WHERE event_id = '" + phoneEventId + "'") == 1,
                "the phone's activation is applied");

        assertEquals(0, count("SELECT count(*) FROM processed_events WHERE event_id = '" + eventId + "'"),
                "the offline activation was passed over, with no transaction");
        assertEquals(0, count("SELECT count(*) FROM devices WHERE instance_id = '" + offlineInstance + "'"));
        admin().when().get("/api/v1/devices?userId=" + user).then().statusCode(200).body("$", hasSize(1))
                .body("[0].instanceId", equalTo(phone.iid()));
    }

    @Test
    void revokedBeforeItsActivation_arrivesRevoked_andItsTokensAreRefused() throws Exception {
        String user = freshUser("rita");
        TestDevice device = new TestDevice(user, DOMAIN, "ios", true, null);
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorRevoked.TYPE.ceType(), device.revokedJson());
        awaitTrue(() -> count("SELECT count(*) FROM revoked_instances WHERE instance_id = '" + device.iid() + "'") == 1,
                "the revocation is recorded");
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorActivated.TYPE.ceType(), device.activatedJson(Instant.now()));
        awaitTrue(() -> count("SELECT count(*) FROM devices WHERE instance_id = '" + device.iid() + "'") == 1, "the device arrives");
        assertEquals("REVOKED", sql("SELECT status FROM devices WHERE instance_id = '" + device.iid() + "'"));
        admin().when().get("/api/v1/devices?userId=" + user).then().body("$", hasSize(0));
        given().header("Authorization", device.bearer(Instant.now())).when().get("/api/v1/devices/me/pending").then()
                .statusCode(401).body("type", equalTo("https://countersign.org/problems/invalid-device-token"));
    }

    @Test
    void revokedAfterItsActivation_leavesTheListing_andItsTokensAreRefused() throws Exception {
        String user = freshUser("ruth");
        TestDevice device = onlineDevice(user);
        given().header("Authorization", device.bearer(Instant.now())).when().get("/api/v1/devices/me/pending").then().statusCode(200);
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorRevoked.TYPE.ceType(), device.revokedJson());
        awaitTrue(() -> "REVOKED".equals(sql("SELECT status FROM devices WHERE instance_id = '" + device.iid() + "'")), "revoked");
        admin().when().get("/api/v1/devices?userId=" + user).then().body("$", hasSize(0));
        given().header("Authorization", device.bearer(Instant.now())).when().get("/api/v1/devices/me/pending").then().statusCode(401);
    }

    @Test
    void migratedOnline_isAPushDevice() throws Exception {
        String user = freshUser("mia");
        TestDevice device = new TestDevice(user, DOMAIN, "ios", false, "ok-apns-" + UUID.randomUUID());
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, DeviceMigrated.TYPE.ceType(), device.migratedJson(Instant.now()));
        awaitTrue(() -> count("SELECT count(*) FROM devices WHERE instance_id = '" + device.iid() + "'") == 1, "the device arrives");
        admin().when().get("/api/v1/devices?userId=" + user).then().body("$", hasSize(1)).body("[0].platform", equalTo("ios"))
                .body("[0].biometric", equalTo(false)).body("[0].wakeUps", equalTo("apns"));
    }

    @Test
    void deactivatedUser_devicesRevoked_pushSwitchedOff_andALateActivationArrivesRevoked() throws Exception {
        String user = freshUser("dora");
        TestDevice device = onlineDevice(user);
        enable(user);
        Instant deactivatedAt = Instant.now().plusSeconds(5);
        String deactivated = "{\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN + "\",\"deactivatedAt\":\"" + deactivatedAt + "\"}";
        publish(Topics.REGISTRATIONS, user + "@" + DOMAIN, UserDeactivated.TYPE.ceType(), deactivated);
        awaitTrue(() -> count("SELECT count(*) FROM push_users WHERE user_id = '" + user + "' AND deactivated_at IS NOT NULL") == 1,
                "the deactivation is applied");
        assertEquals("REVOKED", sql("SELECT status FROM devices WHERE instance_id = '" + device.iid() + "'"));
        admin().when().get("/api/v1/push/users/" + user).then().body("enabled", equalTo(false));
        awaitTrue(() -> pushEventTypes(user).contains("user.push-enabled-changed"), "PushEnabledChanged is published");
        assertEquals("user-deactivated", pushEvents(user).stream().filter(e -> e.path("enabled").isBoolean()
                && !e.path("enabled").asBoolean()).findFirst().orElseThrow().path("reason").asText());

        // An activation before the deactivation, read only now, arrives revoked; one after it (the user came back) is active.
        TestDevice late = new TestDevice(user, DOMAIN, "web", true, null);
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorActivated.TYPE.ceType(), late.activatedJson(deactivatedAt.minusSeconds(60)));
        TestDevice after = new TestDevice(user, DOMAIN, "web", true, null);
        publish(Topics.ACTIVATIONS, user + "@" + DOMAIN, AuthenticatorActivated.TYPE.ceType(), after.activatedJson(deactivatedAt.plusSeconds(60)));
        awaitTrue(() -> count("SELECT count(*) FROM devices WHERE instance_id IN ('" + late.iid() + "', '" + after.iid() + "')") == 2,
                "both arrive");
        assertEquals("REVOKED", sql("SELECT status FROM devices WHERE instance_id = '" + late.iid() + "'"));
        assertEquals("ACTIVE", sql("SELECT status FROM devices WHERE instance_id = '" + after.iid() + "'"));
    }

    @Test
    void anotherDomainsUserOfTheSameName_untouchedAndInvisible() throws Exception {
        String user = freshUser("dirk");
        TestDevice mine = onlineDevice(user);
        TestDevice theirs = onlineDevice(new TestDevice(user, OTHER_DOMAIN, "web", true, null));
        String deactivated = "{\"userId\":\"" + user + "\",\"domain\":\"" + OTHER_DOMAIN + "\",\"deactivatedAt\":\"" + Instant.now()
                .plusSeconds(5) + "\"}";
        publish(Topics.REGISTRATIONS, user + "@" + OTHER_DOMAIN, UserDeactivated.TYPE.ceType(), deactivated);
        awaitTrue(() -> "REVOKED".equals(sql("SELECT status FROM devices WHERE instance_id = '" + theirs.iid() + "'")), "theirs revoked");
        assertEquals("ACTIVE", sql("SELECT status FROM devices WHERE instance_id = '" + mine.iid() + "'"));
        admin().when().get("/api/v1/devices?userId=" + user).then().body("$", hasSize(1)).body("[0].instanceId", equalTo(mine.iid()));
        admin(OTHER_DOMAIN).when().get("/api/v1/devices?userId=" + user).then().body("$", hasSize(0));
        // Another domain's device is unknown to this domain's admin, exactly like a device that does not exist.
        admin(OTHER_DOMAIN).body("{\"authTypes\":[\"otp\"]}").when().put("/api/v1/devices/" + mine.iid() + "/config").then()
                .statusCode(404).body("type", equalTo("https://countersign.org/problems/unknown-device"));
        admin().body("{\"authTypes\":[\"otp\"]}").when().put("/api/v1/devices/iid-" + UUID.randomUUID() + "/config").then()
                .statusCode(404).body("type", equalTo("https://countersign.org/problems/unknown-device"));
    }
}
