package org.countersign.registration.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.UUID;
import org.countersign.events.Topics;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.DeviceMigrated;
import org.countersign.testing.TestEvents;
import org.countersign.testing.TestTokens;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What a migration (an active offline instance moving online) may do: it never counts against the
 * per-user cap a second time, it obeys the tenant's policy, and one instance has one pending at a time.
 * The instance is activated, and the migration settled, by the provisioning-service's events.
 */
@QuarkusTest
class MigrationRulesTest {

    private static final String PROBLEMS = "https://countersign.org/problems/";
    private static final String DOMAIN = TestTokens.DOMAIN;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    String prefix;

    @Test
    void migration_pendingOrSettled_countsOnceAgainstTheCap() throws Exception {
        String type = unique("cap-migrate");
        policy(type, 2, "\"offline\",\"online\",\"migrate\"");
        String user = unique("user");
        String serial = licence(type, 5);
        String iid = activatedInstance(user, serial);
        String migration = migrate(user, iid).statusCode(201).extract().path("registrationId");

        // Held: the instance once. A pending migration does not count: a second authenticator fits under the cap of 2,
        // on the general way (a free licence of the type) that counts with the ORM.
        licence(type, 1);
        String second = register("{\"userId\":\"" + user + "\",\"authenticatorType\":\"" + type + "\",\"activationType\":\"offline\"}")
                .statusCode(201).extract().path("registrationId");
        given().header("Authorization", token()).when().delete("/api/v1/registrations/" + second).then().statusCode(204);

        // Settled, the instance has two activated registrations (its first and the migration) and still counts once,
        // on the quick way (a named licence) that counts in SQL.
        publish(user, DeviceMigrated.TYPE.ceType(), "{\"registrationId\":\"" + migration + "\",\"instanceId\":\"" + iid
                + "\",\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"publicKey\":\""
                + "A".repeat(122) + "\",\"certificate\":\"" + "B".repeat(400) + "\",\"platform\":\"ios\",\"biometric\":true,"
                + "\"migratedAt\":\"2026-11-23T10:30:00Z\"}");
        awaitStatus(user, migration, "activated");
        register(offline(user, serial)).statusCode(201);
        // And the cap still holds: two now.
        problem(register(offline(user, serial)), 409, "user-authenticator-limit");
    }

    @Test
    void migrate_policyLeavesItOut_activationTypeNotAllowed() throws Exception {
        String type = unique("no-migrate");
        policy(type, 3, "\"offline\",\"online\"");
        String user = unique("user");
        String iid = activatedInstance(user, licence(type, 2));
        problem(migrate(user, iid), 409, "activation-type-not-allowed");
        problem(migrate(user, "no-such-" + iid), 404, "unknown-instance");
    }

    @Test
    void migrate_secondWhileOnePending_migrationPending_untilTheFirstIsCancelled() throws Exception {
        String type = unique("twice");
        policy(type, 3, "\"offline\",\"online\",\"migrate\"");
        String user = unique("user");
        String iid = activatedInstance(user, licence(type, 2));
        String first = migrate(user, iid).statusCode(201).extract().path("registrationId");
        problem(migrate(user, iid), 409, "migration-pending");
        problem(migrate(user, iid), 409, "migration-pending");
        given().header("Authorization", token()).when().delete("/api/v1/registrations/" + first).then().statusCode(204);
        migrate(user, iid).statusCode(201);
        problem(migrate(user, iid), 409, "migration-pending");
    }

    /** An offline registration on the licence, activated as an instance by the provisioning-service's event. */
    private String activatedInstance(String user, String serial) throws Exception {
        String rid = register(offline(user, serial)).statusCode(201).extract().path("registrationId");
        String iid = "iid-" + UUID.randomUUID();
        publish(user, AuthenticatorActivated.TYPE.ceType(), "{\"registrationId\":\"" + rid + "\",\"instanceId\":\"" + iid
                + "\",\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"" + serial + "\",\"mode\":\"offline\","
                + "\"otp\":\"totp:sha1:6:30\",\"activatedAt\":\"2026-11-23T10:00:00Z\"}");
        awaitStatus(user, rid, "activated");
        return iid;
    }

    private static ValidatableResponse migrate(String user, String iid) {
        return register("{\"userId\":\"" + user + "\",\"activationType\":\"migrate\",\"instanceId\":\"" + iid + "\"}");
    }

    private static ValidatableResponse register(String body) {
        return given().header("Authorization", token()).contentType("application/json").body(body)
                .when().post("/api/v1/users/register").then();
    }

    private static String offline(String user, String serial) {
        return "{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}";
    }

    private static void problem(ValidatableResponse response, int status, String slug) {
        response.statusCode(status).contentType("application/problem+json").body("type", equalTo(PROBLEMS + slug));
    }

    private static String licence(String type, int max) {
        String serial = unique("SN");
        given().header("Authorization", token()).contentType("application/json")
                .body("{\"licences\":[{\"serialNumber\":\"" + serial + "\",\"authenticatorType\":\"" + type
                        + "\",\"licenceModel\":\"MDL\",\"maxActivations\":" + max + "}]}")
                .when().post("/api/v1/licences").then().statusCode(201);
        return serial;
    }

    private static void policy(String type, int cap, String activationTypes) {
        given().header("Authorization", token()).contentType("application/json")
                .body("{\"maxAuthenticatorsPerUser\":" + cap + ",\"registrationLifetime\":\"PT15M\",\"activationTypes\":["
                        + activationTypes + "]}")
                .when().put("/api/v1/policies/" + type).then().statusCode(200);
    }

    private static String token() {
        return TestTokens.bearer(DOMAIN, "registration");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void awaitStatus(String user, String rid, String status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = given().header("Authorization", token()).when().get("/api/v1/registrations/" + rid).then().statusCode(200)
                    .extract().path("status");
            if (status.equals(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Expected " + status + " but was " + last);
    }

    /** The provisioning-service's event about the user, on the public activations topic. */
    private void publish(String user, String ceType, String json) throws Exception {
        TestEvents.publish(bootstrap, prefix + Topics.ACTIVATIONS, user + "@" + DOMAIN, ceType, "/countersign/provisioning-service", json);
    }
}
