package org.countersign.registration.rest;

import static io.restassured.RestAssured.given;
import static org.countersign.registration.rest.RegistrationApi.licences;
import static org.countersign.registration.rest.RegistrationApi.mdl;
import static org.countersign.registration.rest.RegistrationApi.offline;
import static org.countersign.registration.rest.RegistrationApi.register;
import static org.countersign.registration.rest.RegistrationApi.token;
import static org.countersign.registration.rest.RegistrationApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserResourceTest {

    private static final String DOMAIN = TestTokens.DOMAIN;
    private static final String PROBLEMS = "https://countersign.org/problems/";

    @Test
    void deactivate_cancelsPendingReleasesLicence_registerRefused_putReactivates() {
        String user = unique("olga");
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 2));
        register(DOMAIN, offline(user, serial)).statusCode(201);
        given().header("Authorization", token(DOMAIN)).when().delete("/api/v1/users/" + user).then().statusCode(204);
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/users/" + user).then().statusCode(200)
                .body("status", equalTo("DEACTIVATED")).body("registrations.status", hasItem("CANCELLED"));
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/licences/" + serial).then()
                .body("activationsReserved", equalTo(0));
        register(DOMAIN, offline(user, serial)).statusCode(409).body("type", equalTo(PROBLEMS + "user-deactivated"));
        given().header("Authorization", token(DOMAIN)).when().put("/api/v1/users/" + user).then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
        register(DOMAIN, offline(user, serial)).statusCode(201);
    }

    @Test
    void userEndpoints_unknownOrMalformed_problems() {
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/users/" + unique("nobody")).then()
                .statusCode(404).body("type", equalTo(PROBLEMS + "unknown-user"));
        given().header("Authorization", token(DOMAIN)).when().put("/api/v1/users/a|b").then()
                .statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).when().get("/api/v1/users/x").then()
                .statusCode(403).body("type", equalTo(PROBLEMS + "forbidden"));
    }

    @Test
    void policies_perDomain_validated() {
        String type = unique("pol");
        given().header("Authorization", token(DOMAIN)).contentType("application/json")
                .body("{\"maxAuthenticatorsPerUser\":5,\"registrationLifetime\":\"PT30M\",\"activationTypes\":[\"online\"]}")
                .when().put("/api/v1/policies/" + type).then().statusCode(200).body("maxAuthenticatorsPerUser", equalTo(5));
        given().header("Authorization", token(TestTokens.OTHER_DOMAIN)).when().get("/api/v1/policies/" + type).then()
                .statusCode(200).body("maxAuthenticatorsPerUser", equalTo(3)).body("registrationLifetime", equalTo("PT15M"));
        given().header("Authorization", token(DOMAIN)).contentType("application/json")
                .body("{\"maxAuthenticatorsPerUser\":0,\"registrationLifetime\":\"PT10S\",\"activationTypes\":[\"sideways\"]}")
                .when().put("/api/v1/policies/" + type).then().statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, type, 1));
        register(DOMAIN, offline(unique("pat"), serial)).statusCode(409)
                .body("type", equalTo(PROBLEMS + "activation-type-not-allowed"));
    }

    @Test
    void openApi_describesEveryEndpointAndItsErrors() {
        var doc = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200);
        doc.body("paths.'/api/v1/users/register'.post.responses.'201'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/users/register'.post.responses.'409'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/users/register'.post.responses.'404'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/users/register'.post.responses.'400'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/users/{userId}'.get.responses.'404'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/licences'.post.responses.'409'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/licences/{serialNumber}/assignment'.put.responses.'409'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/registrations/{registrationId}'.delete.responses.'409'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/policies/{authenticatorType}'.put.responses.'401'", org.hamcrest.Matchers.notNullValue());
    }
}
