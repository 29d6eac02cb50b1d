package org.countersign.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract every Countersign service keeps: bearer tokens with a domain and scopes, and
 * problem+json with a stable type for every kind of bad request. Each service runs these tests
 * against itself by extending this class in a {@code @QuarkusTest}.
 */
public abstract class ServiceContractTests {

    private static final String PROBLEMS = "https://countersign.org/problems/";

    /** The names of the readiness checks the service must report, one per store it uses. */
    protected abstract List<String> expectedReadinessChecks();

    protected String scope() {
        return ConfigProvider.getConfig().getValue("countersign.web.scope", String.class);
    }

    protected String service() {
        return ConfigProvider.getConfig().getValue("countersign.web.service", String.class);
    }

    @Test
    void whoami_withServiceScope_echoesDomainAndScopes() {
        given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, scope()))
                .when().get("/api/v1/whoami")
                .then().statusCode(200)
                .body("service", equalTo(service()))
                .body("domain", equalTo(TestTokens.DOMAIN))
                .body("subject", equalTo("test-client"))
                .body("scopes", equalTo(List.of(scope())));
    }

    @Test
    void whoami_withAdminScope_allowed() {
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin"))
                .when().get("/api/v1/whoami")
                .then().statusCode(200).body("domain", equalTo(TestTokens.OTHER_DOMAIN));
    }

    @Test
    void whoami_withoutToken_unauthorizedProblem() {
        problem(given().when().get("/api/v1/whoami").then(), 401, "unauthorized")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void whoami_expiredToken_unauthorizedProblem() {
        problem(given().header("Authorization", "Bearer " + TestTokens.expired(TestTokens.DOMAIN, scope()))
                .when().get("/api/v1/whoami").then(), 401, "unauthorized")
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void whoami_tokenFromUntrustedKey_unauthorizedProblem() {
        problem(given().header("Authorization", "Bearer " + TestTokens.signedByStranger(TestTokens.DOMAIN, scope()))
                .when().get("/api/v1/whoami").then(), 401, "unauthorized");
    }

    /** The portal's key (bound to acme.test in tests) signs for its own domain, with the scopes it holds. */
    @Test
    void whoami_boundKeysToken_forItsDomain_accepted() {
        given().header("Authorization", "Bearer " + TestTokens.signedAs("countersign-portal", TestTokens.DOMAIN, scope()))
                .when().get("/api/v1/whoami").then().statusCode(200);
    }

    /** A bound key cannot speak for another tenant, nor claim admin, though its signature is good. */
    @Test
    void whoami_boundKeysToken_forAnotherDomainOrAdmin_unauthorizedProblem() {
        problem(given().header("Authorization", "Bearer " + TestTokens.signedAs("countersign-portal", TestTokens.OTHER_DOMAIN, scope()))
                .when().get("/api/v1/whoami").then(), 401, "unauthorized");
        problem(given().header("Authorization", "Bearer " + TestTokens.signedAs("countersign-portal", TestTokens.DOMAIN, scope(), "admin"))
                .when().get("/api/v1/whoami").then(), 401, "unauthorized");
        // The identity provider's keys are not bound: its tokens speak for any domain, as before.
        given().header("Authorization", "Bearer " + TestTokens.token(TestTokens.OTHER_DOMAIN, scope()))
                .when().get("/api/v1/whoami").then().statusCode(200);
    }

    @Test
    void whoami_garbageToken_unauthorizedProblem() {
        problem(given().header("Authorization", "Bearer not.a.token")
                .when().get("/api/v1/whoami").then(), 401, "unauthorized");
    }

    @Test
    void whoami_tokenWithoutServiceScope_forbiddenProblem() {
        String otherScope = scope().equals("push") ? "otp" : "push";
        problem(given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, otherScope))
                .when().get("/api/v1/whoami").then(), 403, "forbidden");
    }

    @Test
    void whoami_tokenWithoutDomain_forbiddenProblem() {
        problem(given().header("Authorization", TestTokens.bearer(null, scope()))
                .when().get("/api/v1/whoami").then(), 403, "no-domain");
    }

    @Test
    void unknownRoute_underApi_notFoundProblem() {
        problem(given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, scope()))
                .when().get("/api/v1/no-such-thing").then(), 404, "not-found");
    }

    @Test
    void unknownRoute_outsideApi_notFoundProblem() {
        problem(given().when().get("/definitely/not/here").then(), 404, "not-found");
    }

    @Test
    void wrongMethod_methodNotAllowedProblemWithAllow() {
        problem(given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, scope()))
                .when().delete("/api/v1/whoami").then(), 405, "method-not-allowed")
                .header("Allow", containsString("GET"));
    }

    @Test
    void malformedJson_malformedBodyProblem() {
        problem(probe("application/json", "{\"name\": \"abc\", "), 400, "malformed-body");
    }

    @Test
    void emptyBody_validationProblemNamesBody() {
        problem(probe("application/json", ""), 400, "validation")
                .body("errors.field", hasItem("body"));
    }

    @Test
    void wrongFieldType_validationProblemNamesField() {
        problem(probe("application/json", "{\"name\": \"abc\", \"count\": \"many\"}"), 400, "validation")
                .body("errors.field", hasItem("body.count"));
    }

    @Test
    void unknownField_validationProblemNamesField() {
        problem(probe("application/json", "{\"name\": \"abc\", \"count\": 1, \"colour\": \"red\"}"), 400, "validation")
                .body("errors.field", hasItem("body.colour"));
    }

    @Test
    void invalidFields_validationProblemListsEachField() {
        problem(probe("application/json", "{\"name\": \"a|b\", \"count\": 99}"), 400, "validation")
                .body("errors.field", hasItems("body.name", "body.count"))
                .body("detail", not(containsString("a|b")));
    }

    @Test
    void wrongContentType_unsupportedMediaTypeProblem() {
        problem(probe("text/plain", "name=abc"), 415, "unsupported-media-type");
    }

    @Test
    void oversizedBody_payloadTooLargeProblem() {
        long limit = maxBodySize();
        String big = "{\"name\": \"" + "x".repeat((int) limit + 1024) + "\", \"count\": 1}";
        problem(probe("application/json", big), 413, "payload-too-large");
    }

    @Test
    void chunkedBodyOverLimit_payloadTooLargeProblem() throws Exception {
        byte[] chunk = ("\"" + "x".repeat(8190) + "\"").getBytes(StandardCharsets.US_ASCII);
        byte[][] chunks = new byte[(int) (maxBodySize() / chunk.length) + 2][];
        java.util.Arrays.fill(chunks, chunk);
        RawHttp.Response response = RawHttp.exchange(RestAssured.port, probeHead("Transfer-Encoding: chunked"), true, chunks);
        rawProblem(response, 413, "payload-too-large");
    }

    @Test
    void contentLengthWithChunkedBodyOverLimit_payloadTooLargeProblem() throws Exception {
        // A small Content-Length beside a chunked body: the chunks are what counts (RFC 9112 6.3).
        byte[] chunk = " ".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        byte[][] chunks = new byte[(int) (maxBodySize() / chunk.length) + 2][];
        java.util.Arrays.fill(chunks, chunk);
        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                probeHead("Content-Length: 20\r\nTransfer-Encoding: chunked"), true, chunks);
        assertTrue(response.status() == 413 || response.status() == 400, "refused: " + response);
        rawProblem(response, response.status(), response.status() == 413 ? "payload-too-large" : "bad-request");
    }

    @Test
    void chunkedBodyUnderLimit_readWhole() throws Exception {
        // Larger than what RESTEasy Reactive buffers on the event loop (10K), smaller than the limit.
        String padding = " ".repeat((int) Math.min(maxBodySize() / 2, 30_000));
        RawHttp.Response response = RawHttp.exchange(RestAssured.port, probeHead("Transfer-Encoding: chunked"), true,
                "{\"name\": ".getBytes(StandardCharsets.US_ASCII), padding.getBytes(StandardCharsets.US_ASCII),
                "\"chunked\", \"count\": 3}".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.body().contains("\"chunked\""), response.body());
    }

    @Test
    void requestLineOverLimit_uriTooLongProblem() throws Exception {
        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                "GET /api/v1/whoami?q=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: localhost", false);
        rawProblem(response, 414, "uri-too-long");
    }

    @Test
    void headersOverLimit_headersTooLargeProblem() throws Exception {
        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                "GET /api/v1/whoami HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(40_000), false);
        rawProblem(response, 431, "headers-too-large");
    }

    @Test
    void malformedRequest_badRequestProblem() throws Exception {
        for (String head : List.of("GET /api/v1/whoami HTTP/one\r\nHost: localhost",
                "POST /api/v1/contract-probe HTTP/1.1\r\nHost: localhost\r\nContent-Length: 12abc",
                "POST /api/v1/contract-probe HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 7")) {
            rawProblem(RawHttp.exchange(RestAssured.port, head, false), 400, "bad-request");
        }
    }

    @Test
    void malformedRequests_onEveryEventLoop_badRequestProblem() throws Exception {
        // Connections are dealt to the server of each event loop in turn; the fuzzer found one whose
        // server had started late answering empty 400s, so send enough to reach them all.
        for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors() + 2; i++) {
            rawProblem(RawHttp.exchange(RestAssured.port, "GET /api/v1/whoami HTTP/one\r\nHost: localhost", false), 400, "bad-request");
        }
    }

    @Test
    void targetThatIsNotAUri_badRequestProblem() throws Exception {
        // Found by the OpenAPI fuzzer: Quarkus refused these with an empty 400 before any route ran.
        for (String target : List.of("/api/v1/whoami?a=%zz", "/api/v1/who%ami", "/api/v1/whoami?a=%", "/api/v1/whoami?a=b|c")) {
            rawProblem(RawHttp.exchange(RestAssured.port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + TestTokens.bearer(TestTokens.DOMAIN, scope()), false), 400, "bad-request");
        }
    }

    @Test
    void twoAuthorizationHeaders_badRequestProblem() throws Exception {
        // Found by the OpenAPI fuzzer: the first header was used and the second ignored, so a request
        // whose credentials were ambiguous (one valid, one not) was accepted. Either order is refused.
        String valid = "Authorization: " + TestTokens.bearer(TestTokens.DOMAIN, scope());
        for (String headers : List.of(valid + "\r\nAuthorization: Bearer not.a.token", "Authorization: Bearer not.a.token\r\n" + valid)) {
            rawProblem(RawHttp.exchange(RestAssured.port, "GET /api/v1/whoami HTTP/1.1\r\nHost: localhost\r\n" + headers, false),
                    400, "bad-request");
        }
    }

    @Test
    void health_liveReadyStarted_upWithStoreChecks() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        ValidatableResponse ready = given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"));
        for (String check : expectedReadinessChecks()) {
            ready.body("checks.name", hasItem(check));
        }
    }

    @Test
    void openapi_isVersion303AndDescribesWhoami() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("openapi", equalTo("3.0.3"))
                .body("paths.'/api/v1/whoami'.get", notNullValue())
                .body("paths.'/api/v1/contract-probe'", notNullValue())
                .body("components.securitySchemes", notNullValue());
    }

    @Test
    void metrics_prometheusText() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds"));
    }

    @Test
    void problemBody_neverCarriesStackTrace() {
        given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, scope()))
                .contentType("application/json").body("{\"name\": \"abc\" \"count\": 1}")
                .when().post("/api/v1/contract-probe")
                .then().statusCode(400)
                .body(not(containsString("Exception")))
                .body(not(containsString("at org.")))
                .body("errors", nullValue());
    }

    private String probeHead(String framing) {
        return "POST /api/v1/contract-probe HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + TestTokens.bearer(TestTokens.DOMAIN, scope()) + "\r\nContent-Type: application/json\r\n" + framing;
    }

    private static long maxBodySize() {
        return ConfigProvider.getConfig().getOptionalValue("countersign.web.max-body-size",
                io.quarkus.runtime.configuration.MemorySize.class).map(io.quarkus.runtime.configuration.MemorySize::asLongValue)
                .orElse(64 * 1024L);
    }

    private static void rawProblem(RawHttp.Response response, int status, String type) {
        assertEquals(status, response.status(), response.toString());
        assertEquals("application/problem+json", response.header("Content-Type"), response.toString());
        JsonPath json = JsonPath.from(response.body());
        assertEquals(PROBLEMS + type, json.getString("type"), response.body());
        assertEquals(status, json.getInt("status"));
        assertNotNull(json.getString("title"));
        assertNotNull(json.getString("detail"));
    }

    private ValidatableResponse probe(String contentType, String body) {
        return given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, scope()))
                .contentType(contentType).body(body)
                .when().post("/api/v1/contract-probe").then();
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + type))
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", notNullValue());
    }
}
