package org.countersign.registration.rest;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.countersign.testing.TestTokens;

/** Small helpers that drive the registration API as a client would. */
final class RegistrationApi {

    static final String SCOPE = "registration";

    private RegistrationApi() {
    }

    static String token(String domain) {
        return TestTokens.bearer(domain, SCOPE);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void licences(String domain, String body) {
        given().header("Authorization", token(domain)).contentType("application/json").body(body)
                .when().post("/api/v1/licences").then().statusCode(201);
    }

    static String mdl(String serial, String type, int max) {
        return "{\"licences\":[{\"serialNumber\":\"" + serial + "\",\"authenticatorType\":\"" + type
                + "\",\"licenceModel\":\"MDL\",\"maxActivations\":" + max + "}]}";
    }

    static void policy(String domain, String type, int cap) {
        given().header("Authorization", token(domain)).contentType("application/json")
                .body("{\"maxAuthenticatorsPerUser\":" + cap + ",\"registrationLifetime\":\"PT15M\","
                        + "\"activationTypes\":[\"offline\",\"online\",\"migrate\"]}")
                .when().put("/api/v1/policies/" + type).then().statusCode(200);
    }

    static ValidatableResponse register(String domain, String body) {
        return given().header("Authorization", token(domain)).contentType("application/json").body(body)
                .when().post("/api/v1/users/register").then();
    }

    static String offline(String user, String serial) {
        return "{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}";
    }
}
