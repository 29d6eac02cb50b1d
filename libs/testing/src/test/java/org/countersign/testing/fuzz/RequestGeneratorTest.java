package org.countersign.testing.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The fuzzer's own generator, on a small OpenAPI document: reproducible, broad, and never a valid write. */
class RequestGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestGenerator.Tokens TOKENS = new RequestGenerator.Tokens(
            "h.valid.sig", "h.admin.sig", "h.other.sig", "h.scope.sig", "h.nodomain.sig", "h.expired.sig", "h.stranger.sig");
    private static final RequestGenerator.Limits LIMITS = new RequestGenerator.Limits(64 * 1024, 1024 * 1024, Set.of());

    private final ApiDescription api = ApiDescription.parse(read("/fuzz/things-openapi.json"));
    private final RequestGenerator generator = new RequestGenerator(api, TOKENS, LIMITS);

    @Test
    void parse_findsEveryOperationWithItsParametersAndBody() {
        assertEquals(List.of("DELETE /api/v1/things/{id}", "GET /api/v1/things", "GET /api/v1/things/{id}",
                "POST /api/v1/things", "PUT /api/v1/things/{id}/document"), api.operations().stream()
                .map(Object::toString).sorted().toList());
        ApiDescription.Operation post = operation("POST /api/v1/things");
        assertTrue(post.body().isJson());
        assertTrue(post.body().required());
        assertEquals(List.of("name", "colour"), JSON.convertValue(post.body().jsonSchema().get("required"), List.class));
        ApiDescription.Operation put = operation("PUT /api/v1/things/{id}/document");
        assertFalse(put.body().isJson());
        assertEquals(Set.of("PUT"), put.pathMethods());
        assertEquals("X-Key", put.parameters("header").get(0).name());
    }

    @Test
    void servedMethods_literalPathAlsoMatchedByATemplate_templateMethodsAreNotWrongThere() {
        Map<String, Set<String>> paths = Map.of(
                "/users/bulk", Set.of("POST"),
                "/users/{userId}", Set.of("GET", "PUT"),
                "/users/bulk/{jobId}", Set.of("GET"),
                "/users/{userId}/devices", Set.of("DELETE"));
        assertEquals(Set.of("POST", "GET", "PUT"), ApiDescription.servedMethods("/users/bulk", paths));
        assertEquals(Set.of("GET", "PUT"), ApiDescription.servedMethods("/users/{userId}", paths));
        assertEquals(Set.of("GET"), ApiDescription.servedMethods("/users/bulk/{jobId}", paths));
        assertEquals(Set.of("DELETE"), ApiDescription.servedMethods("/users/{userId}/devices", paths));
    }

    @Test
    void sameSeedAndIndex_sameRequest_otherSeed_otherRequests() {
        List<String> first = new ArrayList<>();
        List<String> again = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            FuzzCase a = generator.generate(42, i);
            FuzzCase b = generator.generate(42, i);
            assertEquals(a.head(), b.head());
            assertArrayEquals(a.body(), b.body());
            first.add(a.head());
            again.add(generator.generate(43, i).head());
        }
        assertNotEquals(first, again);
        // A case is drawn from its own seed: drawing case 7 alone gives what the run gave.
        assertEquals(first.get(7), generator.generate(42, 7).head());
    }

    @Test
    void everyWrite_carriesAnEditThatMustBeRefused_butAFewProbes() {
        int writes = 0;
        int probes = 0;
        for (int i = 0; i < 3000; i++) {
            FuzzCase fuzzCase = generator.generate(7, i);
            if (fuzzCase.operation().safe()) {
                assertFalse(fuzzCase.writeProbe());
            } else if (fuzzCase.writeProbe()) {
                probes++;
            } else {
                writes++;
                assertTrue(fuzzCase.mustBeRefused(LIMITS.bodyLimit()), "case " + i + ": " + fuzzCase);
            }
        }
        assertTrue(writes > 1000, "writes drawn: " + writes);
        assertTrue(probes > writes / 50 && probes < writes / 10, probes + " probes beside " + writes + " writes");
    }

    /** Chosen to be refused, it must leave no valid JSON, also where an earlier edit emptied the object (seed -4314893454280490411). */
    @Test
    void singleQuotes_neverValidJson_evenWithoutAStringLeft() {
        for (String body : List.of("{\"name\":\"a\"}", "{}", "{ }", "[]", "42", "{\"n\":1}", "{\"n\":{}}")) {
            byte[] quoted = RequestGenerator.singleQuotes(body.getBytes(StandardCharsets.UTF_8));
            assertThrows(IOException.class, () -> JSON.readTree(quoted),
                    body + " became " + new String(quoted, StandardCharsets.UTF_8));
        }
    }

    @Test
    void manyCases_coverEveryKindOfBreakage() {
        Map<String, Integer> seen = new TreeMap<>();
        int refused = 0;
        int reads = 0;
        for (int i = 0; i < 5000; i++) {
            FuzzCase fuzzCase = generator.generate(11, i);
            fuzzCase.edits().forEach(e -> seen.merge(e.replaceAll("\\[\\d+]", "[]"), 1, Integer::sum));
            if (fuzzCase.operation().safe()) {
                reads++;
                refused += fuzzCase.mustBeRefused(LIMITS.bodyLimit()) ? 1 : 0;
            }
        }
        String all = String.join("\n", seen.keySet());
        List<String> missing = new ArrayList<>();
        for (String expected : List.of("= 4 KiB", "= 70 KB (past the body limit)", "body.count = 2147483648", "body.count = 2^63", "= 1e309",
                "= literal NaN", "= lone high surrogate", "= NUL", "= right-to-left override", "= combining marks",
                "= deep array", "without body.name", "unknown field in body", "body.colour = enum value in other case",
                "body truncated", "body invalid UTF-8 FF", "body replaced by 10,000 nested arrays", "body duplicate key first",
                "body replaced by empty", "no token", "expired token", "token of another domain", "token of another scope",
                "path id of 10 KB", "path id encoded slash", "path id ..", "path id = 36 dashes", "query of 5 KB",
                "query size = '", "without query owner", "query size repeated", "header of 25 KB", "header X-Key =",
                "Content-Type 'text/plain' [refused]", "Content-Type absent", "Accept", "method PATCH [refused]",
                "Content-Length past the limit", "chunked body", "garbage document")) {
            if (!all.contains(expected)) {
                missing.add(expected);
            }
        }
        assertTrue(missing.isEmpty(), "no edit " + missing + " in:\n" + all);
        // Reads are broken too, but some stay valid, so that what a valid read answers is also checked.
        assertTrue(refused > reads / 4 && refused < reads * 9 / 10, refused + " of " + reads + " reads must be refused");
    }

    @Test
    void violates_followsBeanValidationAndJacksonDefaults() {
        Schemas schemas = api.schemas();
        ObjectNode thing = operation("POST /api/v1/things").body().jsonSchema();
        ObjectNode name = schemas.property(thing, "name");
        ObjectNode count = schemas.property(thing, "count");
        ObjectNode colour = schemas.property(thing, "colour");
        ObjectNode tags = schemas.property(thing, "tags");
        assertTrue(schemas.violates(name, JSON.valueToTree("a|b")));
        assertTrue(schemas.violates(name, JSON.valueToTree("a".repeat(65))));
        assertFalse(schemas.violates(name, JSON.valueToTree("a".repeat(64))));
        assertFalse(schemas.violates(name, JSON.valueToTree(12)), "Jackson reads 12 as \"12\"");
        assertTrue(schemas.violates(name, JSON.valueToTree(List.of("a"))));
        assertTrue(schemas.violates(count, JSON.valueToTree(2147483648L)));
        assertTrue(schemas.violates(count, JSON.valueToTree(0)));
        assertFalse(schemas.violates(count, JSON.valueToTree(1.5)), "Jackson reads 1.5 into an int as 1");
        assertFalse(schemas.violates(count, JSON.valueToTree("5")), "Jackson reads \"5\" into an int as 5");
        assertTrue(schemas.violates(count, JSON.valueToTree("five")));
        assertTrue(schemas.violates(colour, JSON.valueToTree("blue")));
        assertFalse(schemas.violates(colour, JSON.valueToTree(" RED")), "a service may fold case and trim");
        assertFalse(schemas.violates(colour, JSON.valueToTree(1)), "Jackson reads a number into an enum by position");
        assertTrue(schemas.violates(tags, JSON.valueToTree(List.of("a", "b", "c", "d"))));
        assertTrue(schemas.violates(tags, JSON.valueToTree(List.of("123456789"))));
        assertTrue(schemas.violates(thing, JSON.valueToTree(Map.of("name", "a"))), "colour is required");
        assertTrue(schemas.violates(thing, JSON.valueToTree(Map.of("name", "a", "colour", "red", "x", 1))), "unknown field");
        assertTrue(schemas.violates(thing, JSON.valueToTree(Map.of("name", "a", "colour", "red", "owner", Map.of()))),
                "owner.userId is required, through allOf and $ref");
        assertFalse(schemas.violates(thing, JSON.valueToTree(Map.of("name", "a", "colour", "red"))));
        assertTrue(schemas.violatesParameter(schemas.resolve(JSON.valueToTree(Map.of("type", "integer", "format", "int32"))), "1.5"),
                "JAX-RS does not read 1.5 as an int");
    }

    @Test
    void validValues_fitTheirSchemas() {
        Schemas schemas = api.schemas();
        ObjectNode thing = operation("POST /api/v1/things").body().jsonSchema();
        for (int i = 0; i < 200; i++) {
            FuzzCase fuzzCase = generator.valid(operation("POST /api/v1/things"), i);
            assertFalse(schemas.violates(thing, fuzzCase.json), fuzzCase.json.toString());
        }
    }

    @Test
    void refusedMediaType_onlyConcreteTypesTheOperationDoesNotTake() {
        List<String> json = List.of("application/json");
        assertTrue(RequestGenerator.refusedMediaType("text/plain", json));
        assertTrue(RequestGenerator.refusedMediaType("application/json-patch+json", json));
        assertFalse(RequestGenerator.refusedMediaType("APPLICATION/JSON; charset=utf-8", json));
        assertFalse(RequestGenerator.refusedMediaType("*/*", json));
        assertFalse(RequestGenerator.refusedMediaType("garbage", json));
        assertFalse(RequestGenerator.refusedMediaType(null, json));
    }

    private ApiDescription.Operation operation(String name) {
        return api.operations().stream().filter(o -> o.toString().equals(name)).findFirst().orElseThrow();
    }

    private static String read(String resource) {
        try (InputStream in = RequestGeneratorTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
