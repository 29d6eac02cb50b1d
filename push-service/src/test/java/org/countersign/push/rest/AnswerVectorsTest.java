package org.countersign.push.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.junit.jupiter.api.Test;

/**
 * The server checks answers against protocol.md to the byte: the frozen push-signature vectors
 * (docs/protocol-vectors/push-signature.json, made once and never regenerated) are sent to the real
 * endpoint, by a device that holds the vectors' key, for requests stored as the vectors describe them.
 * Each valid signature decides its request; each variant the vectors mark refused is a 422 that changes
 * nothing; and the service computes each vector's dataHash from its message and fields.
 */
@QuarkusTest
class AnswerVectorsTest extends PushTestBase {

    private static final Path VECTORS = Path.of("../docs/protocol-vectors/push-signature.json");

    @Test
    void frozenVectors_eachValidSignatureDecides_eachRefusedVariantChangesNothing() throws Exception {
        JsonNode file = JSON.readTree(Files.readString(VECTORS));
        KeyPair key = vectorKey(file);
        Map<String, TestDevice> devices = new HashMap<>();
        for (JsonNode vector : file.path("vectors")) {
            String iid = vector.path("input").path("iid").asText();
            if (!devices.containsKey(iid)) {
                devices.put(iid, onlineDevice(new TestDevice(key, iid, freshUser("vector"), DOMAIN, "android", true, null)));
            }
        }
        // The variants are of the first vector's answer: each one the vectors refuse is a 422 and leaves it pending.
        JsonNode first = file.path("vectors").get(0);
        TestDevice device = devices.get(first.path("input").path("iid").asText());
        String requestId = first.path("input").path("requestId").asText();
        store(device, first.path("input"), first.path("output").path("dataHash").asText());
        List<JsonNode> accepted = new ArrayList<>();
        for (JsonNode variant : file.path("signatureVariants")) {
            if (variant.path("accepted").asBoolean(false)) {
                accepted.add(variant);
                continue;
            }
            Integer number = variant.has("selectedNumber") ? variant.path("selectedNumber").asInt() : null;
            answerRaw(device, requestId, variant.path("decision").asText(), number, variant.path("signature").asText())
                    .statusCode(422).body("type", equalTo("https://countersign.org/problems/invalid-push-signature"));
            assertEquals("PENDING", sql("SELECT status FROM push_requests WHERE id = '" + requestId + "'"), variant.path("id").asText());
        }
        // Each vector's own signature decides its request.
        for (JsonNode vector : file.path("vectors")) {
            JsonNode input = vector.path("input");
            if (vector != first) {
                store(devices.get(input.path("iid").asText()), input, vector.path("output").path("dataHash").asText());
            }
            String decision = input.path("decision").asText();
            Integer number = input.has("selectedNumber") ? input.path("selectedNumber").asInt() : null;
            answerRaw(devices.get(input.path("iid").asText()), input.path("requestId").asText(), decision, number,
                    vector.path("output").path("signature").asText())
                    .statusCode(200).body("status", equalTo(decision.equals("approve") ? "approved" : "denied"));
            assertEquals(decision.equals("approve") ? "APPROVED" : "DENIED",
                    sql("SELECT status FROM push_requests WHERE id = '" + input.path("requestId").asText() + "'"), vector.path("id").asText());
        }
        // The variant the vectors accept (the same signature with high S) decides the first request as well.
        assertEquals(1, accepted.size(), "the vectors accept one variant (high S)");
        update("UPDATE push_requests SET status = 'PENDING', decided_at = NULL, instance_id = NULL WHERE id = '" + requestId + "'");
        JsonNode variant = accepted.get(0);
        answerRaw(device, requestId, variant.path("decision").asText(), variant.path("selectedNumber").asInt(),
                variant.path("signature").asText()).statusCode(200).body("status", equalTo("approved"));
    }

    @Test
    void dataHash_computedByTheService_isTheVectors() throws Exception {
        JsonNode file = JSON.readTree(Files.readString(VECTORS));
        for (JsonNode vector : file.path("vectors")) {
            JsonNode input = vector.path("input");
            boolean apiAccepts = !input.path("message").asText().isEmpty() && input.path("fields").findValuesAsText("name").stream()
                    .noneMatch(String::isEmpty);
            if (!apiAccepts) {
                continue; // an empty message or field name is protocol.md's, but the API asks for at least one character
            }
            String user = freshUser("vec");
            onlineDevice(user);
            enable(user);
            String id = createRequest(user, JSON.writeValueAsString(input.path("message").asText()).replaceAll("^\"|\"$", ""),
                    JSON.writeValueAsString(input.path("fields"))).path("requestId").asText();
            app().when().get("/api/v1/push/requests/" + id).then().statusCode(200)
                    .body("dataHash", equalTo(vector.path("output").path("dataHash").asText()));
        }
    }

    /** The request a vector answers, stored as the service would have created it and sent it to the device. */
    private void store(TestDevice device, JsonNode input, String dataHash) throws Exception {
        boolean matching = input.has("selectedNumber");
        int number = input.path("selectedNumber").asInt();
        String options = matching ? number + "," + (number == 0 ? 1 : number - 1) + "," + (number == 0 ? 2 : number == 1 ? 2 : number - 2)
                : null;
        update("INSERT INTO push_requests (id, domain, user_id, message, fields, data_hash, challenge, number_options,"
                + " display_number, require_biometric, status, created_at, expires_at) VALUES ('" + input.path("requestId").asText()
                + "', '" + DOMAIN + "', '" + device.userId() + "', " + literal(input.path("message").asText()) + ", "
                + literal(JSON.writeValueAsString(input.path("fields"))) + ", '" + dataHash + "', '" + input.path("challenge").asText()
                + "', " + (matching ? "'" + options + "', " + number : "NULL, NULL") + ", false, 'PENDING', now(), now() + interval '2 minutes')");
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The vectors' P-256 key: the private scalar and the uncompressed public point, in hex. */
    private static KeyPair vectorKey(JsonNode file) throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
        byte[] point = HexFormat.of().parseHex(file.path("devicePublicKey").asText());
        ECPoint w = new ECPoint(new BigInteger(1, java.util.Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, java.util.Arrays.copyOfRange(point, 33, 65)));
        KeyFactory factory = KeyFactory.getInstance("EC");
        return new KeyPair(factory.generatePublic(new ECPublicKeySpec(w, spec)),
                factory.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, HexFormat.of().parseHex(file.path("deviceKey").asText())), spec)));
    }
}
