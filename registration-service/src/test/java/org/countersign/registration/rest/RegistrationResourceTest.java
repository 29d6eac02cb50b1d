package org.countersign.registration.rest;

import static io.restassured.RestAssured.given;
import static org.countersign.registration.rest.RegistrationApi.licences;
import static org.countersign.registration.rest.RegistrationApi.mdl;
import static org.countersign.registration.rest.RegistrationApi.offline;
import static org.countersign.registration.rest.RegistrationApi.policy;
import static org.countersign.registration.rest.RegistrationApi.register;
import static org.countersign.registration.rest.RegistrationApi.token;
import static org.countersign.registration.rest.RegistrationApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.registration.MutableClock;
import org.countersign.registration.service.ExpirySweeper;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TestTokens;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RegistrationResourceTest {

    private static final String PROBLEMS = "https://countersign.org/problems/";
    private static final String DOMAIN = TestTokens.DOMAIN;

    @Inject
    MutableClock clock;

    @Inject
    ExpirySweeper sweeper;

    @io.quarkus.test.common.http.TestHTTPResource("/api/v1/users/register")
    URI registerUri;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;


    @Test
    void register_offline_createdWithPasswordOnceAndActivationMessage() throws Exception {
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 2));
        ExtractableResponse<Response> created = register(DOMAIN, offline("alice", serial)).statusCode(201)
                .header("Cache-Control", "no-store")
                .body("serialNumber", equalTo(serial))
                .body("activationPassword", matchesPattern("[A-Z2-7]{32}"))
                .body("activationMessage", startsWith("countersign://activate?v=1&sn=" + serial + "&rid="))
                .extract();
        String password = created.path("activationPassword");
        String rid = created.path("registrationId");
        assertEquals("countersign://activate?v=1&sn=" + serial + "&rid=" + rid + "&ap=" + password + "&acct=alice",
                created.path("activationMessage"));
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/licences/" + serial).then().statusCode(200)
                .body("activationsReserved", equalTo(1)).body("activationsLeft", equalTo(1))
                .body("assignedUserId", equalTo("alice"));
        String stored = sql("SELECT sealed_activation_password FROM registrations WHERE id = '" + rid + "'");
        assertFalse(stored.contains(password), "the activation password is stored only sealed");
    }

    @Test
    void register_eachError_stableProblemType() {
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 1));
        register(DOMAIN, offline("bob", serial)).statusCode(201);
        problem(register(DOMAIN, offline("bob", serial)), 409, "licence-activation-limit")
                .body("title", equalTo("License activation limit reached"));
        problem(register(DOMAIN, offline("carol", serial)), 409, "licence-assigned-elsewhere");
        problem(register(DOMAIN, offline("bob", "NO-SUCH-SERIAL")), 404, "unknown-licence");
        problem(register(DOMAIN, "{\"userId\":\"bob\",\"authenticatorType\":\"never-stocked\",\"activationType\":\"offline\"}"),
                409, "no-free-licence");
        problem(register(DOMAIN, "{\"userId\":\"bob\",\"instanceId\":\"no-such-iid\",\"activationType\":\"migrate\"}"),
                404, "unknown-instance");
        problem(register(DOMAIN, "{\"userId\":\"a|b\",\"serialNumber\":\"bad serial!\",\"activationType\":\"sideways\"}"),
                400, "validation").body("errors.field", hasItems("body.userId", "body.serialNumber", "body.activationType"));

        String type = unique("capped");
        policy(DOMAIN, type, 1);
        String first = unique("SN");
        String second = unique("SN");
        licences(DOMAIN, mdl(first, type, 1));
        licences(DOMAIN, mdl(second, type, 1));
        register(DOMAIN, offline("dave", first)).statusCode(201);
        problem(register(DOMAIN, offline("dave", second)), 409, "user-authenticator-limit");
    }

    @Test
    void register_50InParallelOnLicenceWith10_exactly10Succeed() throws Exception {
        String type = unique("race");
        policy(DOMAIN, type, 100);
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, type, 10));
        Map<Integer, Integer> statuses = parallel(50, i -> offline("erin", serial));
        assertEquals(Map.of(201, 10, 409, 40), statuses);
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/licences/" + serial).then()
                .body("activationsReserved", equalTo(10)).body("activationsLeft", equalTo(0));
    }

    @Test
    void register_20InParallelForOneUserUnderCap3_exactly3Succeed() throws Exception {
        String type = unique("cap");
        policy(DOMAIN, type, 3);
        StringBuilder batch = new StringBuilder("{\"licences\":[");
        for (int i = 0; i < 25; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"serialNumber\":\"").append(unique("SN")).append("\",\"authenticatorType\":\"")
                    .append(type).append("\",\"licenceModel\":\"SDL\"}");
        }
        licences(DOMAIN, batch.append("]}").toString());
        Map<Integer, Integer> statuses = parallel(20,
                i -> "{\"userId\":\"frank\",\"authenticatorType\":\"" + type + "\",\"activationType\":\"offline\"}");
        assertEquals(Map.of(201, 3, 409, 17), statuses);
    }

    @Test
    void read_registrationAndPendingActivation_byScopeAndDomain() {
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 1));
        ExtractableResponse<Response> created = register(DOMAIN, offline("gina", serial)).statusCode(201).extract();
        String rid = created.path("registrationId");
        String password = created.path("activationPassword");
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/registrations/" + rid).then().statusCode(200)
                .body("status", equalTo("pending")).body("userId", equalTo("gina")).body("serialNumber", equalTo(serial))
                .body("activationPassword", org.hamcrest.Matchers.nullValue());
        String provisioning = TestTokens.bearer(DOMAIN, "provisioning");
        String sealed = given().header("Authorization", provisioning).when().get("/api/v1/registrations/" + rid + "/pending-activation")
                .then().statusCode(200).body("status", equalTo("pending")).body("activationType", equalTo("offline"))
                .body("domain", equalTo(DOMAIN)).extract().path("sealedActivationPassword");
        org.junit.jupiter.api.Assertions.assertTrue(sealed.startsWith("v3."), sealed);
        byte[] opened = TestSealing.openAs("provisioning", org.countersign.secrets.SealedValue.parse(sealed),
                RegistrationPending.activationPasswordBinding(DOMAIN, "gina", rid)).reveal();
        assertEquals(password, org.countersign.protocol.Base32.encode(opened), "sealed for the provisioning-service");
        // The registration scope alone may not read the sealed password; another domain sees nothing.
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/registrations/" + rid + "/pending-activation")
                .then().statusCode(403);
        problem(given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "provisioning")).when()
                .get("/api/v1/registrations/" + rid + "/pending-activation").then(), 404, "unknown-registration");
    }

    /**
     * A device faster than RegistrationPending gets the value that event carried, not a second sealing; a
     * row from before that value was kept, or one kept under a key the provisioning-service has since
     * rotated away from, is sealed afresh from the at-rest copy to today's key.
     */
    @Test
    void pendingActivation_answersTheValueTheEventCarried_sealsAfreshForOldRowsAndRotatedKeys() throws Exception {
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 1));
        var created = register(DOMAIN, offline("gwen", serial)).statusCode(201).extract();
        String rid = created.path("registrationId");
        String password = created.path("activationPassword");
        String carried = sql("SELECT payload::json ->> 'sealedActivationPassword' FROM outbox_events WHERE subject = 'registration/"
                + rid + "' AND event_type = '" + RegistrationPending.TYPE.ceType() + "'");
        org.junit.jupiter.api.Assertions.assertNotNull(carried, "RegistrationPending in the outbox");
        assertEquals(carried, pendingActivation(rid), "the event's own value, not sealed again");

        sql("UPDATE registrations SET activation_password_for_provisioning = NULL WHERE id = '" + rid + "' RETURNING id");
        String resealed = pendingActivation(rid);
        org.junit.jupiter.api.Assertions.assertNotEquals(carried, resealed);
        assertOpensTo(password, resealed, rid);

        String keptUnderOldKey = "v3.retired-kid." + carried.substring(carried.lastIndexOf('.') + 1);
        sql("UPDATE registrations SET activation_password_for_provisioning = '" + keptUnderOldKey + "' WHERE id = '" + rid
                + "' RETURNING id");
        String toCurrentKey = pendingActivation(rid);
        assertEquals(org.countersign.secrets.SealedValue.parse(carried).keyId(),
                org.countersign.secrets.SealedValue.parse(toCurrentKey).keyId());
        assertOpensTo(password, toCurrentKey, rid);

        // Closed, the registration keeps no copy for the provisioning-service, and none is answered.
        given().header("Authorization", token(DOMAIN)).when().delete("/api/v1/registrations/" + rid).then().statusCode(204);
        assertEquals(null, sql("SELECT activation_password_for_provisioning FROM registrations WHERE id = '" + rid + "'"));
        given().header("Authorization", TestTokens.bearer(DOMAIN, "provisioning")).when()
                .get("/api/v1/registrations/" + rid + "/pending-activation").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("sealedActivationPassword", org.hamcrest.Matchers.nullValue());
    }

    private static String pendingActivation(String registrationId) {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "provisioning")).when()
                .get("/api/v1/registrations/" + registrationId + "/pending-activation").then().statusCode(200)
                .body("status", equalTo("pending")).extract().path("sealedActivationPassword");
    }

    private static void assertOpensTo(String password, String sealed, String registrationId) {
        byte[] opened = TestSealing.openAs("provisioning", org.countersign.secrets.SealedValue.parse(sealed),
                RegistrationPending.activationPasswordBinding(DOMAIN, "gwen", registrationId)).reveal();
        assertEquals(password, org.countersign.protocol.Base32.encode(opened));
    }

    @Test
    void cancel_releasesReservation_secondCancelConflicts_otherDomainNotFound() {
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 1));
        String rid = register(DOMAIN, offline("gina", serial)).statusCode(201).extract().path("registrationId");
        problem(given().header("Authorization", token(TestTokens.OTHER_DOMAIN)).when()
                .delete("/api/v1/registrations/" + rid).then(), 404, "unknown-registration");
        given().header("Authorization", token(DOMAIN)).when().delete("/api/v1/registrations/" + rid).then().statusCode(204);
        problem(given().header("Authorization", token(DOMAIN)).when().delete("/api/v1/registrations/" + rid).then(),
                409, "registration-closed");
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/licences/" + serial).then()
                .body("activationsReserved", equalTo(0)).body("activationsLeft", equalTo(1));
        register(DOMAIN, offline("henry", serial)).statusCode(201);
    }

    @Test
    void expiry_afterLifetime_releasesReservationAndClosesRegistration() throws Exception {
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 1));
        String rid = register(DOMAIN, offline("ivy", serial)).statusCode(201).extract().path("registrationId");
        // Past its lifetime but within the grace: an activation accepted just in time may still be on its way.
        clock.advance(Duration.ofMinutes(16));
        sweep();
        assertEquals("PENDING", sql("SELECT status FROM registrations WHERE id = '" + rid + "'"));
        clock.advance(Duration.ofMinutes(2));
        sweep();
        assertEquals("EXPIRED", sql("SELECT status FROM registrations WHERE id = '" + rid + "'"));
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/licences/" + serial).then()
                .body("activationsReserved", equalTo(0));
        problem(given().header("Authorization", token(DOMAIN)).when().delete("/api/v1/registrations/" + rid).then(),
                409, "registration-closed");
    }

    private void sweep() {
        try {
            io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> sweeper.sweep());
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tenantIsolation_otherDomain_seesAndChangesNothing() {
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 2));
        register(DOMAIN, offline("jack", serial)).statusCode(201);
        String other = token(TestTokens.OTHER_DOMAIN);
        problem(given().header("Authorization", other).when().get("/api/v1/users/jack").then(), 404, "unknown-user");
        problem(given().header("Authorization", other).when().delete("/api/v1/users/jack").then(), 404, "unknown-user");
        problem(given().header("Authorization", other).when().get("/api/v1/licences/" + serial).then(), 404, "unknown-licence");
        problem(given().header("Authorization", other).contentType("application/json").body("{\"userId\":\"jack\"}")
                .when().put("/api/v1/licences/" + serial + "/assignment").then(), 404, "unknown-user");
        problem(given().header("Authorization", other).when().delete("/api/v1/licences/" + serial + "/assignment").then(),
                404, "unknown-licence");
        problem(register(TestTokens.OTHER_DOMAIN, offline("jack", serial)), 404, "unknown-licence");
        given().header("Authorization", other).when().get("/api/v1/licences").then().statusCode(200)
                .body("items.serialNumber", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(serial)));
        problem(given().header("Authorization", other).queryParam("domain", DOMAIN).when().get("/api/v1/users/jack").then(),
                403, "forbidden");
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin")).queryParam("domain", DOMAIN)
                .when().get("/api/v1/users/jack").then().statusCode(200).body("licences.serialNumber", hasItems(serial));
    }

    // ---- helpers

    private Map<Integer, Integer> parallel(int count, java.util.function.IntFunction<String> body) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(registerUri)
                    .header("Authorization", token(DOMAIN)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.apply(i))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            statuses.merge(call.get().statusCode(), 1, Integer::sum);
        }
        return statuses;
    }

    private String sql(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?currentSchema=registration", "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void existence_withoutToken_anyDomainAndState_204_madeUpId404() {
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 2));
        String rid = register(DOMAIN, offline("olga", serial)).statusCode(201).extract().path("registrationId");
        given().when().get("/api/v1/registrations/" + rid + "/existence").then().statusCode(204);
        given().header("Authorization", token(DOMAIN)).when().delete("/api/v1/registrations/" + rid).then().statusCode(204);
        given().when().get("/api/v1/registrations/" + rid + "/existence").then().statusCode(204);
        problem(given().when().get("/api/v1/registrations/" + java.util.UUID.randomUUID() + "/existence").then(), 404,
                "unknown-registration");
        // Nothing else under the path opens without a token.
        problem(given().when().get("/api/v1/registrations/" + rid).then(), 401, "unauthorized");
    }

    private static io.restassured.response.ValidatableResponse problem(io.restassured.response.ValidatableResponse response,
                                                                        int status, String type) {
        return response.statusCode(status).contentType("application/problem+json").body("type", equalTo(PROBLEMS + type));
    }
}
