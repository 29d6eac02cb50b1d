package org.countersign.testing.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.countersign.testing.RawHttp;
import org.junit.jupiter.api.Test;

/** The judge of the fuzzer's answers fails on each way an answer can break the contract, and only then. */
class FuzzReportTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void refusalWithAKnownTypeAndItsStatus_passes_acceptanceOfAValidRequestCounts() {
        FuzzReport report = report();
        report.record(0, fuzzCase(), true, answer(400, PROBLEM, problem("validation", 400)));
        report.record(1, fuzzCase(), true, answer(409, "application/problem+json; charset=UTF-8", problem("thing-taken", 409)));
        report.record(2, fuzzCase(), false, answer(200, "application/json", "{}"));
        assertTrue(report.passed(), report.failures());
        assertTrue(report.acceptedCount() == 1);
        assertTrue(report.observedTypes().equals(Set.of("validation", "thing-taken")));
    }

    @Test
    void eachBrokenAnswer_fails() {
        assertFails(500, PROBLEM, problem("internal", 500), false);
        assertFails(503, PROBLEM, problem("service-unavailable", 503), false);
        assertFails(400, null, "", true);
        assertFails(400, "text/plain", "bad", true);
        assertFails(400, PROBLEM, "not json", true);
        assertFails(400, PROBLEM, problem("made-up", 400), true);
        assertFails(404, PROBLEM, problem("validation", 400).replace("400", "404"), true);
        assertFails(400, PROBLEM, problem("validation", 400).replace("\"status\":400", "\"status\":422"), true);
        assertFails(200, "application/json", "{}", true);
        assertFails(302, "text/plain", "", false);
    }

    @Test
    void declaredDependencyOutage_isARefusal_anyOther503Fails() {
        FuzzReport report = report();
        report.record(0, fuzzCase(), true, answer(503, PROBLEM, problem("other-service-unavailable", 503)));
        assertTrue(report.passed(), report.failures());
        assertFails(503, PROBLEM, problem("service-unavailable", 503), true);
        assertFails(503, "text/plain", "other-service-unavailable", true);
    }

    private static void assertFails(int status, String contentType, String body, boolean mustBeRefused) {
        FuzzReport report = report();
        report.record(0, fuzzCase(), mustBeRefused, answer(status, contentType, body));
        assertFalse(report.passed(), status + " " + contentType + " " + body);
    }

    private static FuzzReport report() {
        return new FuzzReport(Map.of("validation", Set.of(400), "thing-taken", Set.of(409), "internal", Set.of(500),
                "service-unavailable", Set.of(503), "other-service-unavailable", Set.of(503)), Set.of("other-service-unavailable"));
    }

    private static FuzzCase fuzzCase() {
        return new FuzzCase(new ApiDescription.Operation("POST", "/api/v1/things", java.util.List.of(), null, true,
                Set.of("POST")));
    }

    private static RawHttp.Response answer(int status, String contentType, String body) {
        return new RawHttp.Response(status, contentType == null ? Map.of() : Map.of("content-type", contentType), body);
    }

    private static String problem(String slug, int status) {
        return "{\"type\":\"https://countersign.org/problems/" + slug + "\",\"title\":\"T\",\"status\":" + status + "}";
    }
}
