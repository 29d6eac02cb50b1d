package org.countersign.registration.rest;

import static io.restassured.RestAssured.given;
import static org.countersign.registration.rest.RegistrationApi.mdl;
import static org.countersign.registration.rest.RegistrationApi.token;
import static org.countersign.registration.rest.RegistrationApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Writes that race and input that used to end in a 500: each is now a 2xx or a 4xx problem. */
@QuarkusTest
class ConcurrentWritesTest {

    private static final String PROBLEMS = "https://countersign.org/problems/";
    private static final int PARALLEL = 20;

    @Test
    void samePolicyPutTwentyTimesAtOnce_allSucceed_oneOfThemWins() throws Exception {
        String type = unique("race");
        List<ExtractableResponse<Response>> answers = atOnce(i -> () -> given().header("Authorization", token(TestTokens.DOMAIN))
                .contentType("application/json").body(policy(i + 1, "PT15M"))
                .when().put("/api/v1/policies/" + type).then().extract());
        for (ExtractableResponse<Response> answer : answers) {
            assertEquals(200, answer.statusCode(), answer.asString());
        }
        int cap = given().header("Authorization", token(TestTokens.DOMAIN)).when().get("/api/v1/policies/" + type)
                .then().statusCode(200).extract().path("maxAuthenticatorsPerUser");
        assertTrue(cap >= 1 && cap <= PARALLEL, "one of the PUTs won: " + cap);
    }

    @Test
    void sameSerialImportedTwentyTimesAtOnce_oneCreated_othersDuplicateProblem() throws Exception {
        String serial = unique("SN");
        List<ExtractableResponse<Response>> answers = atOnce(i -> () -> given().header("Authorization", token(TestTokens.DOMAIN))
                .contentType("application/json").body(mdl(serial, "hardware-offline", 1))
                .when().post("/api/v1/licences").then().extract());
        int created = 0;
        for (ExtractableResponse<Response> answer : answers) {
            if (answer.statusCode() == 201) {
                created++;
            } else {
                assertEquals(409, answer.statusCode(), answer.asString());
                assertEquals("application/problem+json", answer.contentType());
                assertEquals(PROBLEMS + "duplicate-serial-number", answer.path("type"));
            }
        }
        assertEquals(1, created, "exactly one import created the licence");
        given().header("Authorization", token(TestTokens.DOMAIN)).when().get("/api/v1/licences/" + serial)
                .then().statusCode(200).body("serialNumber", equalTo(serial));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT", "P1DT", "P", "PT1H2", "P1DT1D", "PT9999999H"})
    void malformedRegistrationLifetime_validationProblemNamesField(String lifetime) {
        given().header("Authorization", token(TestTokens.DOMAIN)).contentType("application/json").body(policy(3, lifetime))
                .when().put("/api/v1/policies/" + unique("odd")).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation"))
                .body("errors.field", hasItem("body.registrationLifetime"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1DT2H", "PT1M", "P30D", "PT90S"})
    void wellFormedRegistrationLifetime_accepted(String lifetime) {
        given().header("Authorization", token(TestTokens.DOMAIN)).contentType("application/json").body(policy(3, lifetime))
                .when().put("/api/v1/policies/" + unique("fine")).then().statusCode(200);
    }

    private static String policy(int cap, String lifetime) {
        return "{\"maxAuthenticatorsPerUser\":" + cap + ",\"registrationLifetime\":\"" + lifetime + "\","
                + "\"activationTypes\":[\"offline\"]}";
    }

    /** Runs PARALLEL calls released together. */
    private static <T> List<T> atOnce(IntFunction<Callable<T>> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                Callable<T> task = call.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
