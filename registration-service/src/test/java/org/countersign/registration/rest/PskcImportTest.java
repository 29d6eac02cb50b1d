package org.countersign.registration.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.events.Topics;
import org.countersign.events.payload.TokenImported;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** PSKC import through the API: RFC 6030's examples import, hostile documents import nothing. */
@QuarkusTest
class PskcImportTest {

    private static final String PROBLEMS = "https://countersign.org/problems/";
    /** The seed of the RFC 6030 examples: "12345678901234567890". */
    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    String prefix;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void figure3_plainKey_importsLicenceAndSendsSeedSealedOnly() throws Exception {
        String domain = domain();
        post(domain, "figure3.xml", Map.of()).statusCode(201).body("serialNumbers", containsInAnyOrder("987654321"));
        given().header("Authorization", TestTokens.bearer(domain, "registration")).when().get("/api/v1/licences/987654321")
                .then().statusCode(200).body("licenceModel", equalTo("SDL")).body("source", equalTo("pskc"))
                .body("authenticatorType", equalTo("hardware-token"));
        ConsumerRecord<String, byte[]> record = awaitToken(domain, "987654321");
        JsonNode data = json.readTree(record.value());
        assertEquals("hotp:sha1:8", data.path("otp").asText());
        assertTrue(data.path("sealedSeed").asText().startsWith("v3."));
        String raw = new String(record.value(), StandardCharsets.ISO_8859_1);
        for (String form : List.of(HexFormat.of().formatHex(RFC_SEED), Base64.getEncoder().encodeToString(RFC_SEED),
                new String(RFC_SEED, StandardCharsets.US_ASCII))) {
            assertFalse(raw.contains(form), "the seed travels only sealed");
        }
    }

    @Test
    void figure7_passwordEncrypted_importsWithPassword_wrongPasswordImportsNothing() {
        String domain = domain();
        post(domain, "figure7.xml", Map.of("X-PSKC-Password", "not-qwerty")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-pskc"));
        given().header("Authorization", TestTokens.bearer(domain, "registration")).when().get("/api/v1/licences/987654321")
                .then().statusCode(404);
        post(domain, "figure7.xml", Map.of()).statusCode(400).body("type", equalTo(PROBLEMS + "invalid-pskc"));
        post(domain, "figure7.xml", Map.of("X-PSKC-Password", "qwerty")).statusCode(201)
                .body("serialNumbers", containsInAnyOrder("987654321"));
    }

    @Test
    void figure6_preSharedKey_and_figure10_successiveKeys_import() {
        String domain = domain();
        post(domain, "figure6.xml", Map.of("X-PSKC-Key", "12345678901234567890123456789012")).statusCode(201)
                .body("serialNumbers", containsInAnyOrder("987654321"));
        post(domain(), "figure10.xml", Map.of()).statusCode(201)
                .body("serialNumbers", containsInAnyOrder("654321", "123456", "9999999"));
    }

    @Test
    void hostileDocuments_badRequest_nothingImported() {
        String domain = domain();
        for (String hostile : List.of(
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
                "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><l>&d;</l>",
                "this is not xml")) {
            given().header("Authorization", TestTokens.bearer(domain, "registration")).contentType("application/pskc+xml")
                    .body(hostile).when().post("/api/v1/licences/pskc").then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "invalid-pskc"));
        }
        given().header("Authorization", TestTokens.bearer(domain, "registration")).when().get("/api/v1/licences").then()
                .body("items.size()", equalTo(0));
        given().header("Authorization", TestTokens.bearer(domain, "registration")).contentType("application/json")
                .body("{}").when().post("/api/v1/licences/pskc").then().statusCode(415);
    }

    private static String domain() {
        return "pskc-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
    }

    private io.restassured.response.ValidatableResponse post(String domain, String figure, Map<String, String> headers) {
        byte[] document;
        try (InputStream in = getClass().getResourceAsStream("/pskc/rfc6030/" + figure)) {
            document = in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return given().header("Authorization", TestTokens.bearer(domain, "registration")).headers(headers)
                .contentType("application/pskc+xml").body(document).when().post("/api/v1/licences/pskc").then();
    }

    private ConsumerRecord<String, byte[]> awaitToken(String domain, String serial) throws InterruptedException {
        return TopicReader.await(bootstrap, prefix + Topics.INTERNAL_CREDENTIALS,
                r -> TokenImported.TYPE.ceType().equals(TopicReader.header(r, "ce_type"))
                        && ("token/" + serial).equals(TopicReader.header(r, "ce_subject")) && r.key().endsWith("@" + domain),
                Duration.ofSeconds(30));
    }

    private static void assertEquals(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }
}
