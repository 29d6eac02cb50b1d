package org.countersign.provisioning.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.countersign.protocol.DeviceToken;
import org.countersign.protocol.P256;
import org.countersign.testing.SharedStack;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * Device tokens (libs/device-auth) on GET /api/v1/devices/me: every refusal is the same 401 problem,
 * whichever check failed, and a jti is accepted once, even after Redis forgot it.
 */
@QuarkusTest
class DeviceTokenTest extends ActivationTestBase {

    private static final String ME = "/api/v1/devices/me";
    private final List<String> refusalDetails = new ArrayList<>();

    @Inject
    RedisDataSource redis;

    @Test
    void validToken_answersTheDevicesOwnInstance_onceOnly() throws Exception {
        OnlineDevice device = onlineDevice();
        String token = device.token(Instant.now());
        me(token).statusCode(200).body("instanceId", equalTo(device.iid())).body("mode", equalTo("online"))
                .body("status", equalTo("active")).body("serialNumber", equalTo(device.registration().sn()))
                .body("platform", equalTo("android"))
                .body("certificateSerial", equalTo(sql("SELECT certificate_serial FROM authenticator_instances WHERE instance_id = '"
                        + device.iid() + "'")));
        refused(me(token));
        // Another token of the same device is fine: each jti once, not each device once.
        me(device.token(Instant.now())).statusCode(200);
    }

    @Test
    void reusedJti_refusedEvenAfterRedisLostIt() throws Exception {
        OnlineDevice device = onlineDevice();
        String token = device.token(Instant.now());
        me(token).statusCode(200);
        redis.flushall();
        refused(me(token));
        SharedStack.get().stopRedis();
        try {
            String another = device.token(Instant.now());
            me(another).statusCode(200);
            refused(me(another));
        } finally {
            SharedStack.get().restartRedis();
        }
    }

    @Test
    void everyBadToken_sameRefusal() throws Exception {
        OnlineDevice device = onlineDevice();
        long now = Instant.now().getEpochSecond();
        String iid = device.iid();
        KeyPair stranger = P256.generateKeyPair();
        refused(given().when().get(ME).then());
        refused(given().header("Authorization", "Basic " + device.token(Instant.now())).when().get(ME).then());
        refused(given().header("Authorization", TestTokens.bearer(DOMAIN, "provisioning")).when().get(ME).then());
        refused(me("not.a.jwt"));
        refused(me(DeviceToken.sign(device.keys().getPrivate(), iid, "countersign-provisioning", now, now + 300,
                DeviceToken.newJti())));
        refused(me(DeviceToken.sign(device.keys().getPrivate(), iid, DeviceToken.PUSH_AUDIENCE, now - 900, now - 600,
                DeviceToken.newJti())));
        refused(me(DeviceToken.sign(device.keys().getPrivate(), iid, DeviceToken.PUSH_AUDIENCE, now + 600, now + 900,
                DeviceToken.newJti())));
        refused(me(DeviceToken.sign(stranger.getPrivate(), iid, DeviceToken.PUSH_AUDIENCE, now, now + 300, DeviceToken.newJti())));
        refused(me(DeviceToken.sign(device.keys().getPrivate(), "no-such-instance", DeviceToken.PUSH_AUDIENCE, now, now + 300,
                DeviceToken.newJti())));
        String token = device.token(Instant.now());
        refused(me(token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA")));
        // Within the 60 s of skew: accepted.
        me(DeviceToken.sign(device.keys().getPrivate(), iid, DeviceToken.PUSH_AUDIENCE, now + 30, now + 300,
                DeviceToken.newJti())).statusCode(200);
        assertEquals(1, refusalDetails.stream().distinct().count(), "no refusal says which check failed: " + refusalDetails);
    }

    @Test
    void revokedInstance_itsTokensRefused() throws Exception {
        OnlineDevice device = onlineDevice();
        me(device.token(Instant.now())).statusCode(200);
        given().header("Authorization", bearer()).when().delete("/api/v1/instances/" + device.iid()).then().statusCode(204);
        given().header("Authorization", bearer()).when().get("/api/v1/instances/" + device.iid()).then()
                .body("status", equalTo("revoked")).body("certificateSerial", org.hamcrest.Matchers.notNullValue());
        refused(me(device.token(Instant.now())));
    }

    private static ValidatableResponse me(String token) {
        return given().header("Authorization", "Bearer " + token).when().get(ME).then();
    }

    private void refused(ValidatableResponse response) {
        response.statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .body("type", equalTo(PROBLEMS + "invalid-device-token"));
        refusalDetails.add(response.extract().path("detail"));
    }
}
