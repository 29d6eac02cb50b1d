package org.countersign.registration.rest;

import static io.restassured.RestAssured.given;
import static org.countersign.registration.rest.RegistrationApi.licences;
import static org.countersign.registration.rest.RegistrationApi.mdl;
import static org.countersign.registration.rest.RegistrationApi.offline;
import static org.countersign.registration.rest.RegistrationApi.register;
import static org.countersign.registration.rest.RegistrationApi.token;
import static org.countersign.registration.rest.RegistrationApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LicenceResourceTest {

    private static final String DOMAIN = TestTokens.DOMAIN;
    private static final String PROBLEMS = "https://countersign.org/problems/";

    @Test
    void importBatch_duplicateInBatchOrInventory_nothingImported() {
        String existing = unique("SN");
        String fresh = unique("SN");
        licences(DOMAIN, mdl(existing, "hardware-offline", 1));
        String batch = "{\"licences\":[{\"serialNumber\":\"" + fresh + "\",\"authenticatorType\":\"hardware-offline\","
                + "\"licenceModel\":\"SDL\"},{\"serialNumber\":\"" + existing + "\",\"authenticatorType\":\"hardware-offline\","
                + "\"licenceModel\":\"SDL\"}]}";
        post(batch).statusCode(409).body("type", equalTo(PROBLEMS + "duplicate-serial-number"));
        String twice = "{\"licences\":[{\"serialNumber\":\"" + fresh + "\",\"authenticatorType\":\"t\",\"licenceModel\":\"SDL\"},"
                + "{\"serialNumber\":\"" + fresh + "\",\"authenticatorType\":\"t\",\"licenceModel\":\"SDL\"}]}";
        post(twice).statusCode(409).body("type", equalTo(PROBLEMS + "duplicate-serial-number"));
        given().header("Authorization", token(DOMAIN)).when().get("/api/v1/licences/" + fresh).then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-licence"));
    }

    @Test
    void importBatch_invalidItems_validationProblemNamesFields() {
        post("{\"licences\":[{\"serialNumber\":\"has space\",\"authenticatorType\":\"UPPER\",\"licenceModel\":\"XYZ\"}]}")
                .statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
        post("{\"licences\":[]}").statusCode(400).body("errors.field", hasItem("body.licences"));
        post("{\"licences\":[{\"serialNumber\":\"S1\",\"authenticatorType\":\"t\",\"licenceModel\":\"SDL\",\"maxActivations\":5}]}")
                .statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
        post("{\"licences\":[{\"serialNumber\":\"S1\",\"authenticatorType\":\"t\",\"licenceModel\":\"MDL\",\"maxActivations\":0}]}")
                .statusCode(400).body("errors.field", hasItem("body.licences[0].maxActivations"));
    }

    @Test
    void search_filtersAndPages_onlyOwnDomain() {
        String type = unique("kind");
        for (int i = 0; i < 5; i++) {
            licences(DOMAIN, mdl(unique("SN"), type, 1));
        }
        given().header("Authorization", token(DOMAIN)).queryParam("type", type).queryParam("size", 2).queryParam("page", 1)
                .when().get("/api/v1/licences").then().statusCode(200)
                .body("items", hasSize(2)).body("items.authenticatorType", everyItem(equalTo(type)));
        given().header("Authorization", token(DOMAIN)).queryParam("type", type).queryParam("size", 2).queryParam("page", 2)
                .when().get("/api/v1/licences").then().body("items", hasSize(1));
        given().header("Authorization", token(TestTokens.OTHER_DOMAIN)).queryParam("type", type)
                .when().get("/api/v1/licences").then().body("items", hasSize(0));
        given().header("Authorization", token(DOMAIN)).queryParam("size", 501).when().get("/api/v1/licences").then()
                .statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
    }

    @Test
    void assignment_assignUnassign_inUseRefused() {
        String serial = unique("SN");
        licences(DOMAIN, mdl(serial, "hardware-offline", 1));
        given().header("Authorization", token(DOMAIN)).when().put("/api/v1/users/nora").then().statusCode(200);
        given().header("Authorization", token(DOMAIN)).contentType("application/json").body("{\"userId\":\"nora\"}")
                .when().put("/api/v1/licences/" + serial + "/assignment").then().statusCode(200)
                .body("assignedUserId", equalTo("nora"));
        given().header("Authorization", token(DOMAIN)).contentType("application/json").body("{\"userId\":\"nobody-" + serial + "\"}")
                .when().put("/api/v1/licences/" + serial + "/assignment").then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-user"));
        given().header("Authorization", token(DOMAIN)).when().delete("/api/v1/licences/" + serial + "/assignment").then()
                .statusCode(200).body("assignedUserId", nullValue());
        register(DOMAIN, offline("nora", serial)).statusCode(201);
        given().header("Authorization", token(DOMAIN)).when().delete("/api/v1/licences/" + serial + "/assignment").then()
                .statusCode(409).body("type", equalTo(PROBLEMS + "licence-in-use"));
    }

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().header("Authorization", token(DOMAIN)).contentType("application/json").body(body)
                .when().post("/api/v1/licences").then();
    }
}
