package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.countersign.otp.OtpTestBase;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * Malformed path and query parameters and bodies are 4xx problems with a stable type, never a 500:
 * ids of odd characters, huge numbers, empty strings, negative numbers, broken encodings. Every case
 * is sent and all wrong answers are collected before the test fails.
 */
@QuarkusTest
class MalformedInputTest extends OtpTestBase {

    private static final String PROBLEMS = "https://countersign.org/problems/";

    private final List<String> wrong = new ArrayList<>();

    @Test
    void credentialIds_thatAreNoUuid_validationProblem() {
        String[] ids = {"-".repeat(36), "1-1-1-1-1" + "x".repeat(27), "%20", "%00", "a%2Fb", "9".repeat(38), "-1",
                "ffffffff-ffff-ffff-ffff-fffffffffffff", "00000000-0000-0000-0000-00000000000g", "0-0-0-0-0" + "0".repeat(27),
                "%ED%A0%80" + "0".repeat(33)};
        for (String id : ids) {
            for (String action : new String[]{"unlock", "disable", "enable"}) {
                expect(admin().post("/api/v1/otp/admin/credentials/" + id + "/" + action), 400, "validation",
                        "POST credentials/" + id + "/" + action);
            }
        }
        // A well-formed id that names nothing is unknown; an unknown action is a validation problem too.
        expect(admin().post("/api/v1/otp/admin/credentials/00000000-0000-0000-0000-000000000000/unlock"), 404,
                "unknown-credential", "unknown id");
        expect(admin().post("/api/v1/otp/admin/credentials/00000000-0000-0000-0000-000000000000/reset"), 400, "validation",
                "unknown action");
        expect(admin().post("/api/v1/otp/admin/credentials//unlock"), 404, "not-found", "empty id");
        assertEquals(List.of(), wrong);
    }

    @Test
    void userIdsAndDomains_malformed_clientProblems() {
        String[] users = {"a%00b", "x".repeat(256), "%7C", "a%7Cb", "%09", "%20"};
        for (String user : users) {
            expect(admin().get("/api/v1/otp/admin/users/" + user + "/credentials"), 400, "validation", "GET " + user);
            expect(admin().post("/api/v1/otp/admin/users/" + user + "/unlock"), 400, "validation", "unlock " + user);
            expect(admin().contentType("application/json").body("{\"pin\":\"123456\"}").put("/api/v1/otp/admin/users/" + user
                    + "/pin"), 400, "validation", "PUT pin " + user);
            expect(given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).urlEncodingEnabled(false)
                    .contentType("application/json").body("{\"oldPin\":\"123456\",\"otp\":\"000000\",\"newPin\":\"123456\"}")
                    .post("/api/v1/otp/users/" + user + "/pin/change"), 400, "validation", "change " + user);
        }
        for (String path : new String[]{"..", ".", "%2e%2e"}) {
            expect(admin().get("/api/v1/otp/admin/users/" + path + "/credentials"), 404, "not-found", "path " + path);
        }
        for (String domain : new String[]{"%00", "A", "x".repeat(300), "%ED%A0%80", "-a", "a_b"}) {
            expect(admin().get("/api/v1/otp/admin/users/u/credentials?domain=" + domain), 400, "validation", "domain " + domain);
            expect(admin().get("/api/v1/otp/admin/settings?domain=" + domain), 400, "validation", "settings domain " + domain);
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void bodies_malformed_clientProblems() {
        String[] verify = {"{\"userId\":\"u\",\"credential\":\"123456\",\"serialNumber\":\"\"}",
                "{\"userId\":\"u\",\"credential\":\"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\"}",
                "{\"userId\":\"\",\"credential\":\"123456\"}", "{\"userId\":\"u\",\"credential\":[\"1\"]}", "null"};
        for (String body : verify) {
            expect(otp().contentType("application/json").body(body).post("/api/v1/otp/verify"), 400, "validation", body);
        }
        for (String body : new String[]{"[]", "1e999", "{\"userId\":"}) {
            expect(otp().contentType("application/json").body(body).post("/api/v1/otp/verify"), 400, "malformed-body", body);
        }
        String[] resync = {"{\"userId\":\"u\",\"serialNumber\":\"\",\"first\":\"000000\",\"second\":\"000000\"}",
                "{\"userId\":\"u\",\"serialNumber\":\"s\",\"first\":\"000000\",\"second\":\"-00001\"}",
                "{\"userId\":\"u\",\"serialNumber\":\"s\",\"first\":\"000000\",\"second\":\"99999999999999999999\"}",
                "{\"userId\":\"u\",\"serialNumber\":\"s\",\"first\":\"00 000\",\"second\":\"000000\"}"};
        for (String body : resync) {
            expect(otp().contentType("application/json").body(body).post("/api/v1/otp/resync"), 400, "validation", body);
        }
        String[] change = {"{\"oldPin\":\"\",\"otp\":\"000000\",\"newPin\":\"123456\"}",
                "{\"oldPin\":\"123456\",\"newPin\":\"123456\"}", "{\"oldPin\":\"123456\",\"otp\":\"-1\",\"newPin\":\"123456\"}",
                "{\"oldPin\":\"123456\",\"otp\":\"000000\",\"newPin\":\"123456\",\"serialNumber\":\"a b\"}"};
        for (String body : change) {
            expect(otp().contentType("application/json").body(body).post("/api/v1/otp/users/u/pin/change"), 400, "validation", body);
        }
        for (String ttl : new String[]{"99999999999", "1e10", "9223372036854775808", "1e400"}) {
            expect(otp().contentType("application/json").body("{\"userId\":\"u\",\"message\":\"m\",\"ttlSeconds\":" + ttl + "}")
                    .post("/api/v1/signatures/challenges"), 400, "malformed-body", "signing ttl " + ttl);
            expect(otp().contentType("application/json").body("{\"userId\":\"u\",\"ttlSeconds\":" + ttl + "}")
                    .post("/api/v1/otp/challenges"), 400, "malformed-body", "ocra ttl " + ttl);
        }
        for (String ttl : new String[]{"-1", "0", "1.5"}) {
            expect(otp().contentType("application/json").body("{\"userId\":\"u\",\"message\":\"m\",\"ttlSeconds\":" + ttl + "}")
                    .post("/api/v1/signatures/challenges"), 400, "validation", "signing ttl " + ttl);
            expect(otp().contentType("application/json").body("{\"userId\":\"u\",\"ttlSeconds\":" + ttl + "}")
                    .post("/api/v1/otp/challenges"), 400, "validation", "ocra ttl " + ttl);
        }
        for (String id : new String[]{"\\ud800", "x".repeat(65), ""}) {
            expect(otp().contentType("application/json").body("{\"challengeId\":\"" + id + "\",\"response\":\"12345678\"}")
                    .post("/api/v1/signatures/verify"), 400, "validation", "signature challenge " + id);
            expect(otp().contentType("application/json").body("{\"challengeId\":\"" + id + "\",\"response\":\"123456\"}")
                    .post("/api/v1/otp/challenges/verify"), 400, "validation", "ocra challenge " + id);
        }
        assertEquals(List.of(), wrong);
    }

    private void expect(Response response, int status, String type, String what) {
        String contentType = response.contentType();
        String actualType = contentType != null && contentType.startsWith("application/problem+json")
                ? response.path("type") : null;
        if (response.statusCode() != status || !(PROBLEMS + type).equals(actualType)) {
            wrong.add(what + ": " + response.statusCode() + " " + contentType + " " + response.asString());
        }
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "admin")).urlEncodingEnabled(false);
    }

    private static io.restassured.specification.RequestSpecification otp() {
        return given().header("Authorization", TestTokens.bearer(DOMAIN, "otp"));
    }
}
