package org.countersign.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.secrets.Secret;

/**
 * Wrote docs/protocol-vectors/offline-signing.json once, on 2026-11-23. Kept to show how the frozen
 * vectors were made, not to be run again: {@link OfflineSigningVectorsTest} checks the code against
 * the file, and regenerating would hide exactly the change that test exists to catch. Inputs come
 * from SHA-256 of fixed labels, as in {@link OfflineActivationVectorGenerator}. Run:
 * {@code java ... OfflineSigningVectorGenerator <output file>}.
 */
final class OfflineSigningVectorGenerator {

    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String EXPIRES = "2026-11-23T10:15:00Z";

    private OfflineSigningVectorGenerator() {
    }

    public static void main(String[] args) throws IOException {
        ObjectNode file = JSON.createObjectNode();
        file.put("source", "Countersign libs/protocol, generated once on 2026-11-23 and frozen; see README.md");
        file.put("spec", "docs/protocol.md, sections Notation, Keys derived from the instance secret, Push requests (dataHash), "
                + "Offline transaction signing");
        ArrayNode vectors = file.putArray("vectors");
        vectors.add(signing("payment-two-fields", "inst-0001", "chal-0001", "Approve the payment",
                List.of(f("Amount", "EUR 1,250.00"), f("Payee", "ACME Corp | IBAN DE89 3704 0044 0532 0130 00")), EXPIRES));
        vectors.add(signing("non-ascii-no-fields", "inst-0002", "chal-0002",
                "Überweisung an Zoë Ångström: 99,95 € ✓ 日本 🙂", List.of(), "2026-12-31T23:59:59Z"));
        vectors.add(signing("json-escapes", "inst-0003", "chal-0003",
                "Line one\nline two \"quoted\" back\\slash\ttab /slash \u0001\u001f\u007f end",
                List.of(f("Note", "a=b=c"), f("Empty", ""), f("Größe", "\u00e9\u0301 \u2028 \"x\""), f("", "empty name")),
                "2026-11-23T10:15:59Z"));
        vectors.add(signing("empty-message-many-fields", "I", "C", "",
                List.of(f("1", "one"), f("2", "two"), f("3", "three"), f("4", "four|with|bars"), f("5", " spaced ")),
                "2030-01-01T00:00:00Z"));
        vectors.add(signing("longest-ids", "I-".repeat(32), "c".repeat(64), "Log in to the VPN portal",
                List.of(f("Device", "laptop-42")), "2026-11-23T10:20:00Z"));
        file.set("dataHashRefusals", refusals());
        file.set("payloadParsing", payloadParsing());
        Files.writeString(Path.of(args[0]), JSON.writeValueAsString(file) + "\n");
    }

    private static TransactionField f(String name, String value) {
        return new TransactionField(name, value);
    }

    private static ObjectNode signing(String id, String iid, String cid, String message, List<TransactionField> fields,
                                      String expiresAt) {
        Secret is = Secret.copyOf(sha256(id + "/IS"));
        byte[] nonce = Arrays.copyOf(sha256(id + "/nonce"), 12);
        InstanceKeys keys = InstanceKeys.of(is);
        TransactionData data = new TransactionData(message, fields);
        SigningPayload payload = new SigningPayload(data, Instant.parse(expiresAt));
        SigningMessage sealed = SigningMessage.seal(keys, iid, cid, payload, nonce);

        ObjectNode v = JSON.createObjectNode();
        v.put("id", id);
        ObjectNode in = v.putObject("input");
        in.put("is", HEX.formatHex(is.reveal()));
        in.put("iid", iid);
        in.put("cid", cid);
        in.put("nonce", HEX.formatHex(nonce));
        in.put("message", message);
        ArrayNode fieldNodes = in.putArray("fields");
        for (TransactionField field : fields) {
            fieldNodes.addObject().put("name", field.name()).put("value", field.value());
        }
        in.put("expiresAt", expiresAt);
        ObjectNode out = v.putObject("output");
        byte[] json = payload.toJson();
        out.put("payload", new String(json, StandardCharsets.UTF_8));
        out.put("payloadHex", HEX.formatHex(json));
        out.put("kTx", HEX.formatHex(keys.tx().reveal()));
        out.put("kSign", HEX.formatHex(keys.sign().reveal()));
        out.put("dataHashInput", new String(data.hashInput(), StandardCharsets.UTF_8));
        out.put("dataHash", data.dataHash());
        out.put("aad", new String(SigningMessage.aad(iid, cid), StandardCharsets.UTF_8));
        out.put("c", HEX.formatHex(sealed.ciphertext()));
        out.put("cBase64url", Base64Url.encode(sealed.ciphertext()));
        out.put("uri", sealed.toUri());
        out.put("responseMessage", "countersign/v1/sign|" + cid + "|" + data.dataHash());
        out.put("r", TransactionSignature.compute(keys, cid, data));
        return v;
    }

    private static ArrayNode refusals() {
        ArrayNode cases = JSON.createArrayNode();
        refusal(cases, "name-with-equals", "m", "a=b", "v");
        refusal(cases, "name-with-line-feed", "m", "a\nb", "v");
        refusal(cases, "name-with-carriage-return", "m", "a\rb", "v");
        refusal(cases, "value-with-line-feed", "m", "a", "v\nw");
        refusal(cases, "value-with-carriage-return", "m", "a", "v\r");
        refusal(cases, "value-with-crlf", "m", "a", "v\r\nb=c");
        return cases;
    }

    private static void refusal(ArrayNode cases, String id, String message, String name, String value) {
        ObjectNode c = cases.addObject();
        c.put("id", id);
        c.put("message", message);
        c.putArray("fields").addObject().put("name", name).put("value", value);
        try {
            new TransactionData(message, List.of(new TransactionField(name, value)));
            throw new IllegalStateException(id + " was accepted");
        } catch (InvalidTransactionDataException e) {
            c.put("refused", e.reason().name());
        }
    }

    private static ArrayNode payloadParsing() {
        ArrayNode cases = JSON.createArrayNode();
        parse(cases, "canonical", "{\"message\":\"Pay\",\"fields\":[{\"name\":\"Amount\",\"value\":\"10\"}],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "any-order-white-space-unknown-members",
                " {\n \"expiresAt\" : \"2026-11-23T10:15:00Z\",\t\"x-hint\": {\"a\": [1, -2.5e3, null, true, false, \"s\"]},\r\n"
                        + " \"fields\": [ {\"value\": \"10\", \"name\": \"Amount\", \"x\": 0} ], \"message\": \"Pay\" } ");
        parse(cases, "escapes-decoded-before-hashing",
                "{\"message\":\"caf\\u00e9 \\ud83d\\ude42 \\/ \\\"q\\\"\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "fraction-of-second-dropped", "{\"message\":\"m\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00.999Z\"}");
        parse(cases, "duplicate-member", "{\"message\":\"m\",\"message\":\"n\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "duplicate-member-in-field",
                "{\"message\":\"m\",\"fields\":[{\"name\":\"a\",\"name\":\"b\",\"value\":\"v\"}],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "fields-missing", "{\"message\":\"m\",\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "fields-null", "{\"message\":\"m\",\"fields\":null,\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "message-not-a-string", "{\"message\":12,\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "value-missing", "{\"message\":\"m\",\"fields\":[{\"name\":\"a\"}],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "name-with-equals",
                "{\"message\":\"m\",\"fields\":[{\"name\":\"a=b\",\"value\":\"v\"}],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "value-with-escaped-line-feed",
                "{\"message\":\"m\",\"fields\":[{\"name\":\"a\",\"value\":\"v\\nw\"}],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "expires-with-offset", "{\"message\":\"m\",\"fields\":[],\"expiresAt\":\"2026-11-23T11:15:00+01:00\"}");
        parse(cases, "expires-lower-case-z", "{\"message\":\"m\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00z\"}");
        parse(cases, "expires-no-seconds", "{\"message\":\"m\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15Z\"}");
        parse(cases, "expires-impossible-date", "{\"message\":\"m\",\"fields\":[],\"expiresAt\":\"2026-02-30T10:15:00Z\"}");
        parse(cases, "expires-a-number", "{\"message\":\"m\",\"fields\":[],\"expiresAt\":1795428900}");
        parse(cases, "unpaired-surrogate-escape", "{\"message\":\"\\ud800\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "unescaped-control-character", "{\"message\":\"a\u0001b\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        parse(cases, "content-after-object", "{\"message\":\"m\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}x");
        parse(cases, "trailing-comma", "{\"message\":\"m\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\",}");
        parse(cases, "array-not-object", "[\"m\"]");
        ObjectNode bad = cases.addObject();
        bad.put("id", "not-utf8");
        byte[] bytes = "{\"message\":\"\u00ff\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}".getBytes(StandardCharsets.ISO_8859_1);
        bad.put("payloadHex", HEX.formatHex(bytes));
        try {
            SigningPayload.parse(bytes);
            throw new IllegalStateException("not-utf8 was accepted");
        } catch (MalformedMessageException e) {
            bad.put("refused", true);
        }
        return cases;
    }

    private static void parse(ArrayNode cases, String id, String payload) {
        ObjectNode c = cases.addObject();
        c.put("id", id);
        c.put("payload", payload);
        try {
            SigningPayload p = SigningPayload.parse(payload.getBytes(StandardCharsets.UTF_8));
            c.put("message", p.message());
            ArrayNode fields = c.putArray("fields");
            for (TransactionField field : p.fields()) {
                fields.addObject().put("name", field.name()).put("value", field.value());
            }
            c.put("expiresAt", p.expiresAt().toString());
            c.put("dataHash", p.data().dataHash());
        } catch (MalformedMessageException e) {
            c.put("refused", true);
        }
    }

    private static byte[] sha256(String label) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("countersign/vectors/signing/" + label).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
