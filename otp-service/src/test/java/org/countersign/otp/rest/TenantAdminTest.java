package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.countersign.otp.OtpTestBase;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * A tenant's helpdesk holds {@code otp-admin}: the operator endpoints in its own domain, and nothing
 * in another (naming one is refused; another domain's objects are as unknown as missing ones). The
 * cross-tenant {@code admin} keeps acting for the domain it names.
 */
@QuarkusTest
class TenantAdminTest extends OtpTestBase {

    private static final String PROBLEMS = "https://countersign.org/problems/";

    @Test
    void tenantAdmin_ownDomain_listsUnlocksDisablesEnablesCredentials_setsAndRemovesPins_unlocksUsers() throws Exception {
        String user = freshUser("hilda");
        token("hotp:sha1:6", user);
        for (int i = 0; i < 5; i++) {
            verify(user, "000000", null).body("result", equalTo("rejected"));
        }
        verify(user, RFC4226[0], null).body("result", equalTo("locked"));
        String id = helpdesk(DOMAIN).when().get("/api/v1/otp/admin/users/" + user + "/credentials").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].lockCount", equalTo(1)).extract().path("[0].id");
        helpdesk(DOMAIN).when().post("/api/v1/otp/admin/credentials/" + id + "/unlock").then().statusCode(204);
        verify(user, RFC4226[0], null).body("result", equalTo("accepted"));

        helpdesk(DOMAIN).when().post("/api/v1/otp/admin/credentials/" + id + "/disable").then().statusCode(204);
        verify(user, RFC4226[1], null).body("result", equalTo("rejected"));
        helpdesk(DOMAIN).when().post("/api/v1/otp/admin/credentials/" + id + "/enable").then().statusCode(204);
        helpdesk(DOMAIN).contentType("application/json").body("{\"pin\":\"246813\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        verify(user, "246813" + RFC4226[1], null).body("result", equalTo("accepted"));
        helpdesk(DOMAIN).when().delete("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(204);
        verify(user, RFC4226[2], null).body("result", equalTo("accepted"));
        helpdesk(DOMAIN).when().post("/api/v1/otp/admin/users/" + user + "/unlock").then().statusCode(204);
        helpdesk(DOMAIN).queryParam("domain", DOMAIN).when().get("/api/v1/otp/admin/users/" + user + "/credentials").then()
                .statusCode(200).body("$", hasSize(1));
        // The helpdesk checks its tokens like any integrator.
        helpdesk(DOMAIN).when().get("/api/v1/whoami").then().statusCode(200).body("domain", equalTo(DOMAIN));
    }

    @Test
    void tenantAdmin_anotherDomain_unknownOrRefused_nothingChanges() throws Exception {
        String user = freshUser("ivo");
        token("hotp:sha1:6", user);
        String id = given().header("Authorization", TestTokens.bearer(DOMAIN, "admin")).when()
                .get("/api/v1/otp/admin/users/" + user + "/credentials").then().extract().path("[0].id");
        String other = TestTokens.OTHER_DOMAIN;
        // Its own domain: acme's credential and user are not there.
        helpdesk(other).when().post("/api/v1/otp/admin/credentials/" + id + "/disable").then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-credential"));
        helpdesk(other).when().get("/api/v1/otp/admin/users/" + user + "/credentials").then().statusCode(200).body("$", hasSize(0));
        // Naming acme is refused, whatever the endpoint.
        for (RequestSpecification request : new RequestSpecification[]{
                helpdesk(other).queryParam("domain", DOMAIN).basePath("/api/v1/otp/admin/credentials/" + id + "/disable"),
                helpdesk(other).queryParam("domain", DOMAIN).basePath("/api/v1/otp/admin/users/" + user + "/unlock")}) {
            request.when().post().then().statusCode(403).body("type", equalTo(PROBLEMS + "forbidden"));
        }
        helpdesk(other).queryParam("domain", DOMAIN).when().get("/api/v1/otp/admin/users/" + user + "/credentials").then()
                .statusCode(403).body("type", equalTo(PROBLEMS + "forbidden"));
        helpdesk(other).queryParam("domain", DOMAIN).contentType("application/json").body("{\"pin\":\"246813\"}").when()
                .put("/api/v1/otp/admin/users/" + user + "/pin").then().statusCode(403);
        helpdesk(other).queryParam("domain", DOMAIN).when().delete("/api/v1/otp/admin/users/" + user + "/pin").then()
                .statusCode(403);
        verify(user, RFC4226[0], null).body("result", equalTo("accepted"));
        assertNoPin(user);
        // The otp scope (a login system) is no operator; the helpdesk is no login system.
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).when()
                .post("/api/v1/otp/admin/credentials/" + id + "/disable").then().statusCode(403);
        helpdesk(DOMAIN).contentType("application/json").body("{\"userId\":\"" + user + "\",\"credential\":\"" + RFC4226[1] + "\"}")
                .when().post("/api/v1/otp/verify").then().statusCode(403);
    }

    @Test
    void actions_unknownActionOrMalformedId_validationProblem_failedActionNamedProperly() throws Exception {
        String user = freshUser("jon");
        token("hotp:sha1:6", user);
        String id = helpdesk(DOMAIN).when().get("/api/v1/otp/admin/users/" + user + "/credentials").then()
                .extract().path("[0].id");
        for (String action : new String[]{"foo", "Unlock", "enabled", "delete"}) {
            helpdesk(DOMAIN).when().post("/api/v1/otp/admin/credentials/" + id + "/" + action).then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "validation"))
                    .body("errors[0].field", equalTo("action"));
        }
        // It was not enabled, disabled or unlocked by any of those.
        helpdesk(DOMAIN).when().get("/api/v1/otp/admin/users/" + user + "/credentials").then()
                .body("[0].status", equalTo("ACTIVE"));
        for (String bad : new String[]{"-".repeat(36), "0-0-0-0-0" + "0".repeat(27), id.toUpperCase() + "0", id.replace('-', 'x')}) {
            helpdesk(DOMAIN).when().post("/api/v1/otp/admin/credentials/" + bad + "/unlock").then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "validation"))
                    .body("errors[0].field", equalTo("id"));
        }
        String unknown = java.util.UUID.randomUUID().toString();
        helpdesk(DOMAIN).when().post("/api/v1/otp/admin/credentials/" + unknown.toUpperCase() + "/unlock").then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-credential"))
                .body("detail", equalTo("No credential " + unknown + " that can be unlocked in this domain"));
        helpdesk(DOMAIN).when().post("/api/v1/otp/admin/credentials/" + id + "/enable").then().statusCode(404)
                .body("detail", equalTo("No credential " + id + " that can be enabled in this domain"));
    }

    private void assertNoPin(String user) throws Exception {
        org.junit.jupiter.api.Assertions.assertEquals(0,
                count("SELECT count(*) FROM users WHERE user_id = '" + user + "' AND pin_hash IS NOT NULL"));
    }

    private static RequestSpecification helpdesk(String domain) {
        return given().header("Authorization", TestTokens.bearer(domain, "otp-admin"));
    }
}
