package org.countersign.visualcodes.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VisualCodeOpenApiTest {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Test
    void openapi_everyOperation_documentsImageAndProblemResponses() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/visual-codes'.get.responses.'200'.content.'image/png'", notNullValue())
                .body("paths.'/api/v1/visual-codes'.get.responses.'200'.content.'image/svg+xml'", notNullValue())
                .body("paths.'/api/v1/visual-codes'.get.parameters.find { it.name == 'format' }.schema.default", equalTo("qr"))
                .body("paths.'/api/v1/visual-codes'.get.parameters.find { it.name == 'ecc' }.schema.default", equalTo("M"))
                .body("paths.'/api/v1/visual-codes'.get.responses.'400'.content.'application/problem+json'.schema.'$ref'",
                        equalTo(PROBLEM_REF))
                .body("paths.'/api/v1/visual-codes'.get.responses.'401'.content.'application/problem+json'.schema.'$ref'",
                        equalTo(PROBLEM_REF))
                .body("paths.'/api/v1/visual-codes'.post.requestBody.content.'application/json'.schema.'$ref'",
                        containsString("RenderVisualCodeRequest"))
                .body("paths.'/api/v1/visual-codes'.post.responses.'413'.content.'application/problem+json'.schema.'$ref'",
                        equalTo(PROBLEM_REF))
                .body("paths.'/api/v1/visual-codes/decode'.post.requestBody.content.'image/jpeg'", notNullValue())
                .body("paths.'/api/v1/visual-codes/decode'.post.responses.'200'.content.'application/json'.schema.'$ref'",
                        containsString("DecodedCode"))
                .body("paths.'/api/v1/visual-codes/decode'.post.responses.'422'.content.'application/problem+json'.schema.'$ref'",
                        equalTo(PROBLEM_REF))
                .body("paths.'/api/v1/visual-codes/decode'.post.responses.'415'", notNullValue())
                .body("components.schemas.RenderVisualCodeRequest.properties.size.default", equalTo(400));
    }
}
