package org.countersign.protocol;

import static org.countersign.protocol.KnownAnswers.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/**
 * The frozen vectors of docs/protocol-vectors/offline-signing.json, checked from both sides. A
 * change that alters any output fails here; the fix is the code, never the file.
 */
class OfflineSigningVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String FILE = "countersign/offline-signing.json";

    @Test
    void serverSide_sealsChallengeAndExpectsResponseAsFrozen() {
        KnownAnswers vectors = KnownAnswers.load(FILE);
        vectors.each(v -> {
            JsonNode in = v.path("input");
            JsonNode out = v.path("output");
            InstanceKeys keys = InstanceKeys.of(Secret.copyOf(HEX.parseHex(in.path("is").asText())));
            String iid = in.path("iid").asText();
            String cid = in.path("cid").asText();
            TransactionData data = new TransactionData(in.path("message").asText(), fields(in.path("fields")));
            SigningPayload payload = new SigningPayload(data, Instant.parse(in.path("expiresAt").asText()));
            expect("payload", out.path("payloadHex").asText(), HEX.formatHex(payload.toJson()));
            expect("payload text", out.path("payload").asText(), new String(payload.toJson(), StandardCharsets.UTF_8));
            expect("K_tx", out.path("kTx").asText(), HEX.formatHex(keys.tx().reveal()));
            expect("K_sign", out.path("kSign").asText(), HEX.formatHex(keys.sign().reveal()));
            expect("dataHash input", out.path("dataHashInput").asText(), new String(data.hashInput(), StandardCharsets.UTF_8));
            expect("dataHash", out.path("dataHash").asText(), data.dataHash());
            expect("aad", out.path("aad").asText(), new String(SigningMessage.aad(iid, cid), StandardCharsets.UTF_8));
            SigningMessage sealed = SigningMessage.seal(keys, iid, cid, payload, HEX.parseHex(in.path("nonce").asText()));
            expect("c", out.path("c").asText(), HEX.formatHex(sealed.ciphertext()));
            expect("c base64url", out.path("cBase64url").asText(), Base64Url.encode(sealed.ciphertext()));
            expect("uri", out.path("uri").asText(), sealed.toUri());
            expect("R", out.path("r").asText(), TransactionSignature.compute(keys, cid, data.dataHash()));
            TransactionSignature.verify(keys, cid, out.path("dataHash").asText(), out.path("r").asText());
        }).assertAllPassed();
        assertEquals(5, vectors.count());
    }

    @Test
    void deviceSide_readsTheUriAndShowsTheFrozenResponse() {
        KnownAnswers.load(FILE).each(v -> {
            JsonNode in = v.path("input");
            JsonNode out = v.path("output");
            InstanceKeys keys = InstanceKeys.of(Secret.copyOf(HEX.parseHex(in.path("is").asText())));
            SigningMessage message = ProtocolUris.parseSigningMessage(out.path("uri").asText());
            expect("iid", in.path("iid").asText(), message.iid());
            expect("cid", in.path("cid").asText(), message.cid());
            expect("nonce", in.path("nonce").asText(), HEX.formatHex(message.nonce()));
            SigningPayload payload = message.open(keys, in.path("iid").asText());
            expect("message", in.path("message").asText(), payload.message());
            expect("fields", fields(in.path("fields")), payload.fields());
            expect("expiresAt", Instant.parse(in.path("expiresAt").asText()), payload.expiresAt());
            expect("dataHash", out.path("dataHash").asText(), payload.data().dataHash());
            expect("R", out.path("r").asText(), TransactionSignature.compute(keys, message.cid(), payload.data()));
        }).assertAllPassed();
    }

    @Test
    void refusalsAndPayloadParsing_asFrozen() {
        KnownAnswers.load(FILE)
                .each("dataHashRefusals", c -> {
                    String actual;
                    try {
                        new TransactionData(c.path("message").asText(), fields(c.path("fields")));
                        actual = "accepted";
                    } catch (InvalidTransactionDataException e) {
                        actual = e.reason().name();
                    }
                    expect("refusal", c.path("refused").asText(), actual);
                })
                .each("payloadParsing", c -> {
                    byte[] raw = c.has("payloadHex") ? HEX.parseHex(c.path("payloadHex").asText())
                            : c.path("payload").asText().getBytes(StandardCharsets.UTF_8);
                    String actual;
                    try {
                        SigningPayload p = SigningPayload.parse(raw);
                        actual = p.message() + "|" + p.fields() + "|" + p.expiresAt() + "|" + p.data().dataHash();
                    } catch (MalformedMessageException e) {
                        actual = "refused";
                    }
                    String expected = c.path("refused").asBoolean() ? "refused"
                            : c.path("message").asText() + "|" + fields(c.path("fields")) + "|" + c.path("expiresAt").asText()
                                    + "|" + c.path("dataHash").asText();
                    expect("parse", expected, actual);
                })
                .assertAllPassed();
    }

    private static List<TransactionField> fields(JsonNode array) {
        List<TransactionField> fields = new ArrayList<>();
        for (JsonNode field : array) {
            fields.add(new TransactionField(field.path("name").asText(), field.path("value").asText()));
        }
        return fields;
    }
}
