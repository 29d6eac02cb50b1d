package org.countersign.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.countersign.otp.OtpTestBase;
import org.countersign.otp.service.SigningLimits;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.ProtocolUris;
import org.countersign.secrets.Secret;
import org.countersign.protocol.SigningImageException;
import org.countersign.protocol.SigningMessage;
import org.countersign.protocol.SigningPayload;
import org.countersign.protocol.TransactionData;
import org.countersign.protocol.TransactionField;
import org.countersign.protocol.TransactionSignature;
import org.countersign.testing.TestTokens;
import org.countersign.visualcodes.codec.CodeFormat;
import org.countersign.visualcodes.codec.DecodedCode;
import org.countersign.visualcodes.codec.Ecc;
import org.countersign.visualcodes.codec.ModuleGrid;
import org.countersign.visualcodes.codec.PngWriter;
import org.countersign.visualcodes.codec.VisualCodeDecoder;
import org.countersign.visualcodes.codec.VisualCodeEncoder;
import org.junit.jupiter.api.Test;

/**
 * Offline transaction signing on the real stack: instances arrive as the provisioning-service sends
 * them (CredentialProvisioned with a known IS), the device side is libs/protocol's, as the device
 * simulator uses it, and every check goes through the API.
 */
@QuarkusTest
class SignatureChallengeTest extends OtpTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/v1/signatures/verify")
    URI verifyUri;
    private static final List<TransactionField> PAYMENT = List.of(new TransactionField("Payee", "ACME Ltd"),
            new TransactionField("Amount", "EUR 100.00"));

    /** A user with one activated instance whose IS the test knows: the device. */
    private record Device(String user, String iid, String serial, InstanceKeys keys) {

        SigningPayload open(String signingMessage) {
            return ProtocolUris.parseSigningMessage(signingMessage).open(keys, iid);
        }

        /** What the device shows once the user approves: R over the data it decrypted. */
        String respond(String challengeId, String signingMessage) {
            return TransactionSignature.compute(keys, challengeId, open(signingMessage).data());
        }
    }

    private Device device(String name) throws Exception {
        return device(name, "iid-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private final java.util.Map<String, byte[]> deviceSecret = new java.util.HashMap<>();

    private Device device(String name, String iid) throws Exception {
        String user = freshUser(name);
        byte[] is = new byte[32];
        new SecureRandom().nextBytes(is);
        deviceSecret.put(iid, is.clone());
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        provision(user, iid, serial, "totp:sha1:6:30", Secret.copyOf(is), Instant.now());
        return new Device(user, iid, serial, InstanceKeys.of(Secret.copyOf(is)));
    }

    private static String body(String user, String message, List<TransactionField> fields, Integer ttl) {
        ObjectNode body = JSON.createObjectNode().put("userId", user).put("message", message);
        ArrayNode list = body.putArray("fields");
        fields.forEach(f -> list.addObject().put("name", f.name()).put("value", f.value()));
        if (ttl != null) {
            body.put("ttlSeconds", ttl);
        }
        return body.toString();
    }

    private static ValidatableResponse challenge(String tokenDomain, String body) {
        return given().header("Authorization", TestTokens.bearer(tokenDomain, "otp")).contentType("application/json").body(body)
                .when().post("/api/v1/signatures/challenges").then();
    }

    /** challengeId and signingMessage of a new challenge for the payment. */
    private static String[] payment(Device device) {
        var response = challenge(DOMAIN, body(device.user(), "Approve the payment", PAYMENT, null)).statusCode(201)
                .body("expiresAt", notNullValue()).extract();
        return new String[] {response.path("challengeId"), response.path("signingMessage")};
    }

    private static ValidatableResponse verifySignatureIn(String tokenDomain, String challengeId, String response, String userId) {
        ObjectNode body = JSON.createObjectNode().put("challengeId", challengeId).put("response", response);
        if (userId != null) {
            body.put("userId", userId);
        }
        return given().header("Authorization", TestTokens.bearer(tokenDomain, "otp")).contentType("application/json")
                .body(body.toString()).when().post("/api/v1/signatures/verify").then();
    }

    private static ValidatableResponse verifySignature(String challengeId, String response) {
        return verifySignatureIn(DOMAIN, challengeId, response, null).statusCode(200);
    }

    private static String wrong(String right) {
        return right.equals("00000000") ? "00000001" : "00000000";
    }

    @Test
    void rightResponse_deviceShowsTheData_approvedOnce_secondUseRejected() throws Exception {
        Device device = device("sig-ok");
        String[] challenge = payment(device);
        assertTrue(challenge[1].startsWith("countersign://sign?v=1&iid=" + device.iid() + "&cid=" + challenge[0] + "&"));
        SigningPayload shown = device.open(challenge[1]);
        assertEquals("Approve the payment", shown.message());
        assertEquals(PAYMENT, shown.fields());
        String dataHash = new TransactionData("Approve the payment", PAYMENT).dataHash();
        String response = device.respond(challenge[0], challenge[1]);

        verifySignature(challenge[0], response).body("result", equalTo("approved")).body("dataHash", equalTo(dataHash));
        verifySignature(challenge[0], response).body("result", equalTo("rejected")).body("dataHash", equalTo(dataHash));
        assertEquals(1, count("SELECT count(*) FROM signature_challenges WHERE id = '" + challenge[0]
                + "' AND status = 'APPROVED' AND data_hash = '" + dataHash + "'"));
    }

    @Test
    void rightResponseTwentyTimesAtOnce_approvedExactlyOnce() throws Exception {
        Device device = device("sig-race");
        String[] challenge = payment(device);
        String body = "{\"challengeId\":\"" + challenge[0] + "\",\"response\":\"" + device.respond(challenge[0], challenge[1]) + "\"}";
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(verifyUri).header("Authorization", TestTokens.bearer(DOMAIN, "otp"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int approved = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertEquals(200, response.statusCode(), response.body());
            approved += response.body().contains("\"approved\"") ? 1 : 0;
        }
        assertEquals(1, approved);
        assertEquals(1, count("SELECT count(*) FROM outbox_events WHERE event_type = 'org.countersign.authentication"
                + ".signature-verified.v1' AND payload LIKE '%" + challenge[0] + "%'"));
    }

    @Test
    void instanceRevokedAfterTheChallenge_rightResponseRejected_andIsIsKeptSealedOnly() throws Exception {
        Device device = device("sig-revoked");
        String[] challenge = payment(device);
        String response = device.respond(challenge[0], challenge[1]);
        // IS is at rest, sealed: neither its hex nor its base64url is in the row.
        byte[] is = deviceSecret.get(device.iid());
        String hex = java.util.HexFormat.of().formatHex(is);
        String b64 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(is);
        assertEquals(1, count("SELECT count(*) FROM credentials WHERE instance_id = '" + device.iid() + "'"
                + " AND sealed_instance_secret IS NOT NULL AND sealed_instance_secret <> sealed_secret"
                + " AND position('" + hex + "' in sealed_instance_secret) = 0 AND position('" + b64 + "' in sealed_instance_secret) = 0"));
        assertEquals(1, count("WITH u AS (UPDATE credentials SET status = 'REVOKED' WHERE instance_id = '" + device.iid()
                + "' RETURNING 1) SELECT count(*) FROM u"));
        verifySignature(challenge[0], response).body("result", equalTo("rejected"));
        assertEquals(1, count("SELECT count(*) FROM outbox_events WHERE payload LIKE '%" + challenge[0]
                + "%' AND payload LIKE '%\"reason\":\"revoked\"%'"));
    }

    @Test
    void admin_actsForTheDomainItNames() throws Exception {
        Device device = device("sig-admin");
        var created = given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin"))
                .contentType("application/json").body(body(device.user(), "Approve", PAYMENT, null))
                .when().post("/api/v1/signatures/challenges?domain=" + DOMAIN).then().statusCode(201).extract();
        String cid = created.path("challengeId");
        given().header("Authorization", TestTokens.bearer(TestTokens.OTHER_DOMAIN, "admin")).contentType("application/json")
                .body("{\"challengeId\":\"" + cid + "\",\"response\":\"" + device.respond(cid, created.path("signingMessage"))
                        + "\"}").when().post("/api/v1/signatures/verify?domain=" + DOMAIN).then().statusCode(200)
                .body("result", equalTo("approved"));
        given().header("Authorization", TestTokens.bearer(DOMAIN, "otp")).contentType("application/json")
                .body(body(device.user(), "Approve", PAYMENT, null))
                .when().post("/api/v1/signatures/challenges?domain=" + TestTokens.OTHER_DOMAIN).then().statusCode(403);
    }

    @Test
    void wrongResponse_rejected_challengeStaysOpenForTheRightOne() throws Exception {
        Device device = device("sig-wrong");
        String[] challenge = payment(device);
        String response = device.respond(challenge[0], challenge[1]);
        verifySignature(challenge[0], wrong(response)).body("result", equalTo("rejected"));
        verifySignature(challenge[0], response).body("result", equalTo("approved"));
    }

    @Test
    void guessing_fiveWrongResponses_lockTheCredentialLikeOtps() throws Exception {
        Device device = device("sig-guess");
        String[] challenge = payment(device);
        String response = device.respond(challenge[0], challenge[1]);
        for (int i = 0; i < 5; i++) {
            verifySignature(challenge[0], wrong(response)).body("result", equalTo("rejected"));
        }
        verifySignature(challenge[0], response).body("result", equalTo("locked")).body("retryAfter", notNullValue());
    }

    @Test
    void expired_rightResponseRejected() throws Exception {
        Device device = device("sig-expired");
        Instant now = Instant.now();
        clock.pin(now);
        var created = challenge(DOMAIN, body(device.user(), "Approve", PAYMENT, 30)).statusCode(201).extract();
        String cid = created.path("challengeId");
        String uri = created.path("signingMessage");
        assertEquals(now.plusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS), Instant.parse(created.path("expiresAt")));
        assertEquals(Instant.parse(created.path("expiresAt")), device.open(uri).expiresAt());
        clock.pin(now.plusSeconds(31));
        verifySignature(cid, device.respond(cid, uri)).body("result", equalTo("rejected"));
    }

    @Test
    void responseForAnotherChallenge_rejected() throws Exception {
        Device device = device("sig-other");
        String[] first = payment(device);
        String[] second = payment(device);
        // Same data, same device: only the challenge id differs, and R is bound to it.
        verifySignature(second[0], device.respond(first[0], first[1])).body("result", equalTo("rejected"));
        verifySignature(first[0], device.respond(first[0], first[1])).body("result", equalTo("approved"));
    }

    @Test
    void anotherUsersChallenge_unknownWhenTheUserIsNamed_rejectedForTheOtherDevice() throws Exception {
        Device alice = device("sig-alice");
        Device bob = device("sig-bob");
        String[] bobs = payment(bob);
        String[] alices = payment(alice);
        verifySignatureIn(DOMAIN, bobs[0], bob.respond(bobs[0], bobs[1]), alice.user()).statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("https://countersign.org/problems/unknown-challenge"));
        // Alice's device cannot read Bob's challenge, nor answer it with a response of her own.
        assertThrows(SigningImageException.class, () -> alice.open(bobs[1]));
        verifySignature(bobs[0], alice.respond(alices[0], alices[1])).body("result", equalTo("rejected"));
        verifySignatureIn(DOMAIN, bobs[0], bob.respond(bobs[0], bobs[1]), bob.user()).statusCode(200).body("result", equalTo("approved"));
    }

    @Test
    void anotherDomain_challengeIsUnknown() throws Exception {
        Device device = device("sig-domain");
        String[] challenge = payment(device);
        String response = device.respond(challenge[0], challenge[1]);
        verifySignatureIn(TestTokens.OTHER_DOMAIN, challenge[0], response, null).statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("https://countersign.org/problems/unknown-challenge"));
        verifySignatureIn(DOMAIN, UUID.randomUUID().toString(), response, null).statusCode(404)
                .body("type", equalTo("https://countersign.org/problems/unknown-challenge"));
        // The other domain's attempt consumed nothing.
        verifySignature(challenge[0], response).body("result", equalTo("approved"));
        // Nor can another domain issue for this domain's user: it has no such user.
        challenge(TestTokens.OTHER_DOMAIN, body(device.user(), "Approve", PAYMENT, null)).statusCode(404)
                .body("type", equalTo("https://countersign.org/problems/unknown-credential"));
    }

    @Test
    void tamperedSigningMessage_deviceRefusesIt() throws Exception {
        Device device = device("sig-tamper");
        String[] challenge = payment(device);
        SigningMessage message = ProtocolUris.parseSigningMessage(challenge[1]);
        byte[] c = message.ciphertext();
        c[c.length / 2] ^= 1;
        SigningMessage flipped = SigningMessage.of(message.iid(), message.cid(), message.nonce(), c);
        assertEquals(SigningImageException.Reason.DOES_NOT_DECRYPT,
                assertThrows(SigningImageException.class, () -> flipped.open(device.keys(), device.iid())).reason());
        // Another challenge id over the same ciphertext: the AAD binds it.
        SigningMessage moved = SigningMessage.of(message.iid(), UUID.randomUUID().toString(), message.nonce(), message.ciphertext());
        assertEquals(SigningImageException.Reason.DOES_NOT_DECRYPT,
                assertThrows(SigningImageException.class, () -> ProtocolUris.parseSigningMessage(moved.toUri())
                        .open(device.keys(), device.iid())).reason());
        assertEquals(SigningImageException.Reason.OTHER_INSTANCE,
                assertThrows(SigningImageException.class, () -> message.open(device.keys(), "iid-someone-else")).reason());
    }

    @Test
    void limits_badInput_400Problems_nothingWritten() throws Exception {
        Device device = device("sig-limits");
        String user = device.user();
        String validation = "https://countersign.org/problems/validation";
        challenge(DOMAIN, body(user, "", PAYMENT, null)).statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, body(user, "x".repeat(SigningLimits.MAX_MESSAGE_LENGTH + 1), PAYMENT, null)).statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(validation));
        List<TransactionField> many = new ArrayList<>();
        for (int i = 0; i <= SigningLimits.MAX_FIELDS; i++) {
            many.add(new TransactionField("F" + i, "v"));
        }
        challenge(DOMAIN, body(user, "m", many, null)).statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, body(user, "m", List.of(new TransactionField("n".repeat(SigningLimits.MAX_FIELD_NAME_LENGTH + 1), "v")),
                null)).statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, body(user, "m", List.of(new TransactionField("", "v")), null)).statusCode(400)
                .body("type", equalTo(validation));
        challenge(DOMAIN, body(user, "m", List.of(new TransactionField("n", "v".repeat(SigningLimits.MAX_FIELD_VALUE_LENGTH + 1))),
                null)).statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, body(user, "m", PAYMENT, SigningLimits.MIN_TTL_SECONDS - 1)).statusCode(400).body("type", equalTo(validation));
        challenge(DOMAIN, body(user, "m", PAYMENT, SigningLimits.MAX_TTL_SECONDS + 1)).statusCode(400).body("type", equalTo(validation));
        // dataHash rules: '=' in a name, a line break in a value.
        challenge(DOMAIN, "{\"userId\":\"" + user + "\",\"message\":\"m\",\"fields\":[{\"name\":\"a=b\",\"value\":\"v\"}]}")
                .statusCode(400).body("type", equalTo("https://countersign.org/problems/invalid-transaction-data"));
        challenge(DOMAIN, "{\"userId\":\"" + user + "\",\"message\":\"m\",\"fields\":[{\"name\":\"a\",\"value\":\"v\\nw\"}]}")
                .statusCode(400).body("type", equalTo("https://countersign.org/problems/invalid-transaction-data"));
        // Each item within its limit, the whole too large to sign.
        List<TransactionField> large = new ArrayList<>();
        for (int i = 0; i < SigningLimits.MAX_FIELDS; i++) {
            large.add(new TransactionField("Field " + i, "v".repeat(SigningLimits.MAX_FIELD_VALUE_LENGTH)));
        }
        challenge(DOMAIN, body(user, "m", large, null)).statusCode(400)
                .body("type", equalTo("https://countersign.org/problems/signing-payload-too-large"));
        // A typo in a member is refused, not ignored.
        challenge(DOMAIN, "{\"userId\":\"" + user + "\",\"mesage\":\"m\",\"fields\":[]}").statusCode(400);
        assertEquals(0, count("SELECT count(*) FROM signature_challenges WHERE user_id = '" + user + "'"));
        verifySignatureIn(DOMAIN, "not a cid", "12345678", null).statusCode(400).body("type", equalTo(validation));
        verifySignatureIn(DOMAIN, UUID.randomUUID().toString(), "1234", null).statusCode(400).body("type", equalTo(validation));
    }

    @Test
    void credentialsThatCannotSign_409_unknownUser_404_severalInstances_409UntilNamed() throws Exception {
        // An imported PSKC token has no instance secret.
        String tokenUser = freshUser("sig-token");
        String serial = token("totp:sha1:6:30", tokenUser);
        challenge(DOMAIN, body(tokenUser, "m", PAYMENT, null)).statusCode(409)
                .body("type", equalTo("https://countersign.org/problems/signing-not-supported"));
        challenge(DOMAIN, "{\"userId\":\"" + tokenUser + "\",\"serialNumber\":\"" + serial + "\",\"message\":\"m\"}")
                .statusCode(409).body("type", equalTo("https://countersign.org/problems/signing-not-supported"));
        // An instance provisioned before the service kept IS.
        Device old = device("sig-old");
        assertEquals(1, count("WITH u AS (UPDATE credentials SET sealed_instance_secret = NULL WHERE instance_id = '"
                + old.iid() + "' RETURNING 1) SELECT count(*) FROM u"));
        challenge(DOMAIN, body(old.user(), "m", PAYMENT, null)).statusCode(409)
                .body("type", equalTo("https://countersign.org/problems/signing-not-supported"));
        challenge(DOMAIN, body(freshUser("sig-nobody"), "m", PAYMENT, null)).statusCode(404)
                .body("type", equalTo("https://countersign.org/problems/unknown-credential"));

        Device first = device("sig-two");
        String secondIid = "iid-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] is = new byte[32];
        new SecureRandom().nextBytes(is);
        provision(first.user(), secondIid, "SN-2-" + UUID.randomUUID().toString().substring(0, 8), "totp:sha1:6:30",
                Secret.copyOf(is), Instant.now());
        challenge(DOMAIN, body(first.user(), "m", PAYMENT, null)).statusCode(409)
                .body("type", equalTo("https://countersign.org/problems/ambiguous-credential"));
        challenge(DOMAIN, "{\"userId\":\"" + first.user() + "\",\"serialNumber\":\"NO-SUCH\",\"message\":\"m\"}").statusCode(404)
                .body("type", equalTo("https://countersign.org/problems/unknown-credential"));
        var created = challenge(DOMAIN, "{\"userId\":\"" + first.user() + "\",\"serialNumber\":\"" + first.serial()
                + "\",\"message\":\"m\"}").statusCode(201).extract();
        String cid = created.path("challengeId");
        String uri = created.path("signingMessage");
        verifySignature(cid, first.respond(cid, uri)).body("result", equalTo("approved"));
    }

    @Test
    void largestAllowedMessage_rendersAndDecodesAsColourCodeAtLevelM() throws Exception {
        // The longest instance id there is, so that the URI is as long as it can get.
        Device device = device("sig-large", "iid-" + "x".repeat(60));
        Instant expiresAt = Instant.parse("2026-11-23T10:00:00Z");
        // 300 three-byte characters, then one field filled up to exactly the payload limit.
        String message = "\u20ac".repeat(SigningLimits.MAX_MESSAGE_LENGTH);
        int base = new SigningPayload(new TransactionData(message, List.of(new TransactionField("Payee", ""))), expiresAt)
                .toJson().length;
        List<TransactionField> fields = List.of(new TransactionField("Payee", "v".repeat(SigningLimits.MAX_PAYLOAD_BYTES - base)));
        assertEquals(SigningLimits.MAX_PAYLOAD_BYTES, new SigningPayload(new TransactionData(message, fields), expiresAt)
                .toJson().length);
        challenge(DOMAIN, body(device.user(), message, List.of(new TransactionField("Payee", "v".repeat(
                SigningLimits.MAX_PAYLOAD_BYTES - base + 1))), SigningLimits.MAX_TTL_SECONDS)).statusCode(400)
                .body("type", equalTo("https://countersign.org/problems/signing-payload-too-large"));

        var created = challenge(DOMAIN, body(device.user(), message, fields, SigningLimits.MAX_TTL_SECONDS)).statusCode(201).extract();
        String cid = created.path("challengeId");
        String uri = created.path("signingMessage");
        byte[] bytes = uri.getBytes(StandardCharsets.UTF_8);
        ModuleGrid grid = VisualCodeEncoder.encode(bytes, CodeFormat.COLOUR, Ecc.M, VisualCodeEncoder.MIN_QUIET_ZONE);
        assertTrue(grid.side() <= 17 + 4 * SigningLimits.MAX_QR_VERSION + 2 * VisualCodeEncoder.MIN_QUIET_ZONE,
                "the largest signing message (" + bytes.length + " bytes) needs " + grid.side() + " modules");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(PngWriter.write(grid, grid.side() * 4)));
        DecodedCode decoded = VisualCodeDecoder.decode(image).orElseThrow();
        assertEquals(CodeFormat.COLOUR, decoded.format());
        assertEquals(uri, decoded.message());
        // What the device read from the image is what it shows and signs.
        SigningPayload shown = device.open(decoded.message());
        assertEquals(message, shown.message());
        assertEquals(fields, shown.fields());
        verifySignature(cid, device.respond(cid, decoded.message())).body("result", equalTo("approved"));
    }

    @Test
    void events_carryDataHashAndChallenge_neverTheResponseOrAKey() throws Exception {
        Device device = device("sig-events");
        String[] challenge = payment(device);
        String response = device.respond(challenge[0], challenge[1]);
        String dataHash = new TransactionData("Approve the payment", PAYMENT).dataHash();
        verifySignature(challenge[0], wrong(response)).body("result", equalTo("rejected"));
        verifySignature(challenge[0], response).body("result", equalTo("approved"));
        String mine = " WHERE event_key = '" + device.user() + "@" + DOMAIN + "'";
        for (String type : List.of("signature-requested", "signature-verified", "signature-rejected")) {
            assertEquals(1, count("SELECT count(*) FROM outbox_events" + mine + " AND event_type = 'org.countersign.authentication."
                    + type + ".v1' AND payload LIKE '%\"dataHash\":\"" + dataHash + "\"%' AND payload LIKE '%\"challengeId\":\""
                    + challenge[0] + "\"%' AND payload LIKE '%\"serialNumber\":\"" + device.serial() + "\"%'"), type);
        }
        assertEquals(1, count("SELECT count(*) FROM outbox_events" + mine + " AND payload LIKE '%\"reason\":\"no-match\"%'"));
        assertNotEquals(response, wrong(response));
        assertEquals(0, count("SELECT count(*) FROM outbox_events" + mine + " AND (payload LIKE '%" + response + "%' OR payload LIKE '%"
                + wrong(response) + "%' OR payload LIKE '%Approve the payment%' OR payload LIKE '%sealed%')"));
        assertFalse(challenge[1].contains("Approve"), "the message travels sealed");
    }
}
