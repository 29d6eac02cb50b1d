package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** Offline transaction signing: dataHash, the sealed challenge, its URI, and the response R, from both sides. */
class OfflineSigningTest {

    private static final Instant EXPIRES = Instant.parse("2026-11-23T10:15:00Z");
    private static final TransactionData PAYMENT = new TransactionData("Approve the payment",
            List.of(new TransactionField("Amount", "EUR 100.00"), new TransactionField("Payee", "ACME | Co")));

    // ---- dataHash ----

    @Test
    void dataHash_isSha256OfMessageAndLines_base64url() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256")
                .digest("Approve the payment\nAmount=EUR 100.00\nPayee=ACME | Co".getBytes(StandardCharsets.UTF_8));
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(expected), PAYMENT.dataHash());
        assertEquals(TransactionData.DATA_HASH_LENGTH, PAYMENT.dataHash().length());
        byte[] alone = MessageDigest.getInstance("SHA-256").digest("Grüße 🙂".getBytes(StandardCharsets.UTF_8));
        assertEquals(Base64Url.encode(alone), TransactionData.of("Grüße 🙂").dataHash());
        assertEquals(Base64Url.encode(alone), new TransactionData("Grüße 🙂", List.of()).dataHash());
    }

    @Test
    void dataHash_orderAndEveryCharacterMatter() {
        TransactionData swapped = new TransactionData("Approve the payment",
                List.of(new TransactionField("Payee", "ACME | Co"), new TransactionField("Amount", "EUR 100.00")));
        assertNotEquals(PAYMENT.dataHash(), swapped.dataHash());
        assertNotEquals(PAYMENT.dataHash(), new TransactionData("Approve the payment ", PAYMENT.fields()).dataHash());
        // A field with an empty name or value still adds its line.
        assertNotEquals(TransactionData.of("m").dataHash(),
                new TransactionData("m", List.of(new TransactionField("", ""))).dataHash());
        // "a" = "b=c" and "a=b" = "c" would hash alike; the second is refused.
        assertEquals("m\na=b=c", new String(new TransactionData("m", List.of(new TransactionField("a", "b=c"))).hashInput(),
                StandardCharsets.UTF_8));
        assertThrows(InvalidTransactionDataException.class, () -> new TransactionField("a=b", "c"));
    }

    @Test
    void transactionData_everyBrokenRule_refusedWithItsReason() {
        expectRefused(InvalidTransactionDataException.Reason.NAME_CONTAINS_EQUALS, () -> new TransactionField("=", "v"));
        expectRefused(InvalidTransactionDataException.Reason.NAME_CONTAINS_LINE_BREAK, () -> new TransactionField("a\nb", "v"));
        expectRefused(InvalidTransactionDataException.Reason.NAME_CONTAINS_LINE_BREAK, () -> new TransactionField("a\r", "v"));
        expectRefused(InvalidTransactionDataException.Reason.VALUE_CONTAINS_LINE_BREAK, () -> new TransactionField("a", "\n"));
        expectRefused(InvalidTransactionDataException.Reason.VALUE_CONTAINS_LINE_BREAK, () -> new TransactionField("a", "x\r\ny"));
        expectRefused(InvalidTransactionDataException.Reason.MISSING, () -> new TransactionField(null, "v"));
        expectRefused(InvalidTransactionDataException.Reason.MISSING, () -> new TransactionField("a", null));
        expectRefused(InvalidTransactionDataException.Reason.MISSING, () -> new TransactionData(null, List.of()));
        expectRefused(InvalidTransactionDataException.Reason.MISSING, () -> new TransactionData("m", null));
        expectRefused(InvalidTransactionDataException.Reason.MISSING, () -> new TransactionData("m", Arrays.asList(
                new TransactionField("a", "b"), null)));
        expectRefused(InvalidTransactionDataException.Reason.NOT_UNICODE, () -> TransactionData.of("\ud800"));
        expectRefused(InvalidTransactionDataException.Reason.NOT_UNICODE, () -> TransactionData.of("a\udc00"));
        expectRefused(InvalidTransactionDataException.Reason.NOT_UNICODE, () -> TransactionData.of("\ude42\ud83d"));
        expectRefused(InvalidTransactionDataException.Reason.NOT_UNICODE, () -> new TransactionField("\ud83d", "v"));
        expectRefused(InvalidTransactionDataException.Reason.NOT_UNICODE, () -> new TransactionField("a", "x\ud83d"));
        // What the rules leave alone: line breaks and '|' in the message, '=' and '|' in values, other separators.
        new TransactionData("line\r\nbreaks | bars = fine", List.of(new TransactionField("a|b", "c=d|e \u2028 \u0085 \u000b")));
        InvalidTransactionDataException e = assertThrows(InvalidTransactionDataException.class,
                () -> new TransactionField("secret=name", "v"));
        assertEquals("field name may not contain '='", e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
        assertEquals("fields[1] is missing", assertThrows(InvalidTransactionDataException.class,
                () -> new TransactionData("m", Arrays.asList(new TransactionField("a", "b"), null))).getMessage());
    }

    @Test
    void transactionData_fieldsAreCopied() {
        List<TransactionField> fields = new ArrayList<>(List.of(new TransactionField("a", "b")));
        TransactionData data = new TransactionData("m", fields);
        String before = data.dataHash();
        fields.add(new TransactionField("c", "d"));
        assertEquals(before, data.dataHash());
        assertThrows(UnsupportedOperationException.class, () -> data.fields().add(new TransactionField("e", "f")));
    }

    @Test
    void isDataHash_onlyCanonicalBase64urlOf32Bytes() {
        assertTrue(TransactionData.isDataHash(PAYMENT.dataHash()));
        String h = PAYMENT.dataHash();
        assertFalse(TransactionData.isDataHash(null));
        assertFalse(TransactionData.isDataHash(h + "="));
        assertFalse(TransactionData.isDataHash(h.substring(1)));
        assertFalse(TransactionData.isDataHash(h.replace(h.charAt(5), '+')));
        assertFalse(TransactionData.isDataHash(h.substring(0, 42) + "B")); // non-canonical trailing bits (43rd char carries 2 spare bits)
        assertFalse(TransactionData.isDataHash(Base64Url.encode(new byte[33])));
        assertTrue(TransactionData.isDataHash(Base64Url.encode(new byte[32])));
    }

    // ---- payload JSON ----

    @Test
    void payload_writesTheFixedShape() {
        SigningPayload payload = new SigningPayload(new TransactionData("Pay \"x\" \\ \u0000\u001f\u007f é\n",
                List.of(new TransactionField("a", "b\t"))), Instant.parse("2026-11-23T10:15:00.987654Z"));
        assertEquals("{\"message\":\"Pay \\\"x\\\" \\\\ \\u0000\\u001f\u007f é\\n\",\"fields\":[{\"name\":\"a\",\"value\":\"b\\t\"}],"
                + "\"expiresAt\":\"2026-11-23T10:15:00Z\"}", new String(payload.toJson(), StandardCharsets.UTF_8));
        assertEquals(Instant.parse("2026-11-23T10:15:00Z"), payload.expiresAt());
        assertEquals("{\"message\":\"\",\"fields\":[],\"expiresAt\":\"1970-01-01T00:00:00Z\"}",
                new String(new SigningPayload(TransactionData.of(""), Instant.EPOCH).toJson(), StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> new SigningPayload(PAYMENT, Instant.parse("1969-12-31T23:59:59Z")));
        assertThrows(IllegalArgumentException.class, () -> new SigningPayload(PAYMENT, Instant.parse("+10000-01-01T00:00:00Z")));
        assertThrows(NullPointerException.class, () -> new SigningPayload(PAYMENT, null));
    }

    @Test
    void payload_roundTripsEveryCharacterClass() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            if (!Character.isSurrogate(c)) {
                all.append(c);
            }
        }
        all.append("🙂𝄞");
        String text = all.toString();
        SigningPayload payload = new SigningPayload(new TransactionData(text,
                List.of(new TransactionField(text.replace("=", "").replace("\n", "").replace("\r", ""),
                        text.replace("\n", "").replace("\r", "")))), EXPIRES);
        SigningPayload back = SigningPayload.parse(payload.toJson());
        assertEquals(payload, back);
        assertEquals(payload.data().dataHash(), back.data().dataHash());
    }

    @Test
    void payload_parse_malformed_refusedWithoutEchoingText() {
        String[] bad = {
            "", " ", "null", "\"s\"", "{}", "{\"message\":\"secret-text\",\"fields\":[]}",
            "{\"message\":\"secret-text\",\"fields\":[{}],\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[\"a=b\"],\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[{\"name\":1,\"value\":\"v\"}],\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[{\"name\":\"n\",\"value\":null}],\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":{},\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23 10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00.1234567890Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T24:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"1969-12-31T23:59:59Z\"}",
            "{\"message\":\"secret-text\\x\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\\u12\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\\udc00\\ud800\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}}",
            "{\"message\":\"secret-text\",\"fields\":[] \"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[,],\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\",\"x\":01}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\",\"x\":1.}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\",\"x\":tru}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\",\"x\":NaN}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\",\"x\":'s'}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}\u00a0",
            "\ufeff{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\"}",
            "{\"message\":\"secret-text\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\",\"x\":"
                    + "[".repeat(40) + "]".repeat(40) + "}",
        };
        for (String json : bad) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class,
                    () -> SigningPayload.parse(json.getBytes(StandardCharsets.UTF_8)), json);
            assertFalse(e.getMessage().contains("secret-text"), e.getMessage());
            assertTrue(e.getMessage().startsWith("signing payload: "), e.getMessage());
        }
        // Nesting up to the limit in an unknown member is fine.
        SigningPayload.parse(("{\"message\":\"m\",\"fields\":[],\"expiresAt\":\"2026-11-23T10:15:00Z\",\"x\":"
                + "[".repeat(30) + "]".repeat(30) + "}").getBytes(StandardCharsets.UTF_8));
    }

    // ---- the signing message ----

    @Test
    void roundTrip_manyRandomChallenges_deviceAndServerAgree() {
        for (int i = 0; i < 200; i++) {
            Secret is = Secret.random(32);
            String iid = "inst-" + i;
            String cid = "c-" + Integer.toHexString(i * 7919);
            List<TransactionField> fields = new ArrayList<>();
            for (int f = 0; f < i % 4; f++) {
                fields.add(new TransactionField("Field " + f, "välue " + i + " | " + f));
            }
            TransactionData data = new TransactionData("Transaction " + i + " — ✓", fields);
            String uri = SigningMessage.seal(InstanceKeys.of(is), iid, cid, new SigningPayload(data, EXPIRES)).toUri();

            SigningMessage received = ProtocolUris.parseSigningMessage(uri);
            SigningPayload shown = received.open(InstanceKeys.of(is), iid);
            assertEquals(data, shown.data());
            assertEquals(EXPIRES, shown.expiresAt());
            String r = TransactionSignature.compute(InstanceKeys.of(is), received.cid(), shown.data());
            assertTrue(r.matches("[0-9]{8}"), r);
            TransactionSignature.verify(InstanceKeys.of(is), cid, data.dataHash(), r);
        }
    }

    @Test
    void open_wrongInstanceOrAnyTampering_refusedWithItsReason() {
        InstanceKeys keys = InstanceKeys.of(Secret.random(32));
        SigningMessage message = SigningMessage.seal(keys, "inst-1", "chal-1", new SigningPayload(PAYMENT, EXPIRES));

        assertReason(SigningImageException.Reason.OTHER_INSTANCE, () -> message.open(keys, "inst-2"));
        assertReason(SigningImageException.Reason.OTHER_INSTANCE, () -> message.open(keys, null));
        assertReason(SigningImageException.Reason.DOES_NOT_DECRYPT, () -> message.open(InstanceKeys.of(Secret.random(32)), "inst-1"));
        byte[] c = message.ciphertext();
        for (int bit = 0; bit < c.length * 8; bit += 5) {
            byte[] tampered = c.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            SigningMessage bad = SigningMessage.of("inst-1", "chal-1", message.nonce(), tampered);
            assertReason(SigningImageException.Reason.DOES_NOT_DECRYPT, () -> bad.open(keys, "inst-1"));
        }
        byte[] nonce = message.nonce();
        nonce[0] ^= 1;
        SigningMessage otherNonce = SigningMessage.of("inst-1", "chal-1", nonce, c);
        assertReason(SigningImageException.Reason.DOES_NOT_DECRYPT, () -> otherNonce.open(keys, "inst-1"));
        SigningMessage truncated = SigningMessage.of("inst-1", "chal-1", message.nonce(), Arrays.copyOf(c, c.length - 1));
        assertReason(SigningImageException.Reason.DOES_NOT_DECRYPT, () -> truncated.open(keys, "inst-1"));
        // cid and iid are bound by the AAD: moved to another challenge or instance, the message does not open.
        SigningMessage otherCid = SigningMessage.of("inst-1", "chal-2", message.nonce(), c);
        assertReason(SigningImageException.Reason.DOES_NOT_DECRYPT, () -> otherCid.open(keys, "inst-1"));
        SigningMessage otherIid = SigningMessage.of("inst-2", "chal-1", message.nonce(), c);
        assertReason(SigningImageException.Reason.DOES_NOT_DECRYPT, () -> otherIid.open(keys, "inst-2"));
        assertEquals(PAYMENT, message.open(keys, "inst-1").data());
    }

    @Test
    void open_payloadThatDecryptsButIsNotAPayload_refusedAsMalformed() {
        InstanceKeys keys = InstanceKeys.of(Secret.random(32));
        byte[] nonce = new byte[12];
        byte[] junk = Aead.aes256Gcm(keys.tx()).seal(nonce, "{\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8),
                SigningMessage.aad("i", "c"));
        SigningMessage message = SigningMessage.of("i", "c", nonce, junk);
        assertThrows(MalformedMessageException.class, () -> message.open(keys, "i"));
    }

    @Test
    void uri_anyOrderUnknownIgnoredPercentDecoded_accepted() {
        InstanceKeys keys = InstanceKeys.of(Secret.random(32));
        SigningMessage message = SigningMessage.seal(keys, "inst-1", "chal-1", new SigningPayload(PAYMENT, EXPIRES));
        String n = Base64Url.encode(message.nonce());
        String c = Base64Url.encode(message.ciphertext());
        assertEquals("countersign://sign?v=1&iid=inst-1&cid=chal-1&n=" + n + "&c=" + c, message.toUri());
        SigningMessage parsed = ProtocolUris.parseSigningMessage(
                "countersign://sign?c=" + c + "&x-later=a%20b&cid=chal%2D1&n=" + n + "&%69id=inst-1&v=%31");
        assertEquals("inst-1", parsed.iid());
        assertEquals("chal-1", parsed.cid());
        assertArrayEquals(message.ciphertext(), parsed.ciphertext());
        assertEquals(PAYMENT, parsed.open(keys, "inst-1").data());
    }

    @Test
    void uri_everyBrokenRule_refused() {
        String n = Base64Url.encode(new byte[12]);
        String c = Base64Url.encode(new byte[40]);
        String good = "countersign://sign?v=1&iid=inst-1&cid=chal-1&n=" + n + "&c=" + c;
        ProtocolUris.parseSigningMessage(good);
        String[] bad = {
            null, "", "countersign://sign?", good.replace("v=1", "v=2"), good.replace("v=1&", ""), good + "&v=1",
            good.replace("sign?", "Sign?"), good.replace("countersign://sign", "countersign://signature"),
            good.replace("countersign://", "https://"), good + "&cid=chal-1", good + "&x=1&x=2",
            good.replace("iid=inst-1&", ""), good.replace("cid=chal-1&", ""), good.replace("&n=" + n, ""), good.replace("&c=" + c, ""),
            good.replace("iid=inst-1", "iid=inst%7C1"), good.replace("cid=chal-1", "cid=chal_1"), good.replace("cid=chal-1", "cid="),
            good.replace("cid=chal-1", "cid=" + "c".repeat(65)), good.replace("iid=inst-1", "iid=inst%201"),
            good.replace("cid=chal-1", "cid=ch%C3%A4l"), good.replace("n=" + n, "n=" + n + "="),
            good.replace("n=" + n, "n=" + Base64Url.encode(new byte[13])), good.replace("c=" + c, "c=" + Base64Url.encode(new byte[17])),
            good.replace("c=" + c, "c=" + c + "=="), good.replace("c=" + c, "c=" + c.replace('A', '+')),
            good.replace("c=" + c, "c=" + c.substring(0, c.length() - 1) + "B"), good + "#x", good + "&", good.replace("&", "&&"),
            good + "&x=%E2", good + "&x=%zz", good + "&x=a b",
        };
        for (String uri : bad) {
            assertThrows(MalformedMessageException.class, () -> ProtocolUris.parseSigningMessage(uri), String.valueOf(uri));
        }
        assertTrue(ProtocolUris.parseSigningMessage(good.replace("c=" + c, "c=" + Base64Url.encode(new byte[18]))) != null);
    }

    @Test
    void seal_invalidIds_refused() {
        InstanceKeys keys = InstanceKeys.of(Secret.random(32));
        SigningPayload payload = new SigningPayload(PAYMENT, EXPIRES);
        assertThrows(IllegalArgumentException.class, () -> SigningMessage.seal(keys, "a|b", "c", payload));
        assertThrows(IllegalArgumentException.class, () -> SigningMessage.seal(keys, "a", "c d", payload));
        assertThrows(IllegalArgumentException.class, () -> SigningMessage.seal(keys, "a", "c", payload, new byte[11]));
        assertThrows(IllegalArgumentException.class, () -> SigningMessage.of("a", "c", new byte[12], new byte[17]));
    }

    // ---- the response ----

    @Test
    void verifyResponse_wrongOrMalformed_refusedAlike() {
        InstanceKeys keys = InstanceKeys.of(Secret.random(32));
        String hash = PAYMENT.dataHash();
        String r = TransactionSignature.compute(keys, "chal-1", hash);
        assertEquals(r, TransactionSignature.compute(keys, "chal-1", PAYMENT));
        TransactionSignature.verify(keys, "chal-1", hash, r);
        String wrong = r.substring(0, 7) + (char) ('0' + (r.charAt(7) - '0' + 1) % 10);
        for (String typed : new String[] {wrong, r.substring(1), r + "0", " " + r, "", null, "abcdefgh"}) {
            InvalidCodeException e = assertThrows(InvalidCodeException.class,
                    () -> TransactionSignature.verify(keys, "chal-1", hash, typed));
            assertEquals("invalid code", e.getMessage());
        }
        assertThrows(InvalidCodeException.class, () -> TransactionSignature.verify(keys, "chal-2", hash, r));
        assertThrows(InvalidCodeException.class,
                () -> TransactionSignature.verify(keys, "chal-1", TransactionData.of("other").dataHash(), r));
        assertThrows(InvalidCodeException.class,
                () -> TransactionSignature.verify(InstanceKeys.of(Secret.random(32)), "chal-1", hash, r));
        assertThrows(IllegalArgumentException.class, () -> TransactionSignature.compute(keys, "chal|1", hash));
        assertThrows(IllegalArgumentException.class, () -> TransactionSignature.compute(keys, "chal-1", "not|a-hash"));
        assertThrows(IllegalArgumentException.class, () -> TransactionSignature.compute(keys, "chal-1", hash + "A"));
    }

    @Test
    void response_usesKSignNotOtherKeys() throws Exception {
        Secret is = Secret.random(32);
        InstanceKeys keys = InstanceKeys.of(is);
        String hash = PAYMENT.dataHash();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(keys.sign().reveal(), "HmacSHA256"));
        byte[] h = mac.doFinal(("countersign/v1/sign|chal-1|" + hash).getBytes(StandardCharsets.UTF_8));
        assertEquals(Truncation.dt(h, 8), TransactionSignature.compute(keys, "chal-1", hash));
    }

    @Test
    void toString_ofEveryType_showsNoKeyOrCiphertext() {
        InstanceKeys keys = InstanceKeys.of(Secret.random(32));
        SigningMessage message = SigningMessage.seal(keys, "inst-1", "chal-1", new SigningPayload(PAYMENT, EXPIRES));
        String text = message + "\n" + new SigningImageException(SigningImageException.Reason.DOES_NOT_DECRYPT);
        assertFalse(text.contains(Base64Url.encode(message.ciphertext())));
        assertFalse(text.contains(java.util.HexFormat.of().formatHex(keys.tx().reveal())));
        assertTrue(text.contains("chal-1"));
    }

    private static void expectRefused(InvalidTransactionDataException.Reason reason, org.junit.jupiter.api.function.Executable call) {
        assertEquals(reason, assertThrows(InvalidTransactionDataException.class, call).reason());
    }

    private static void assertReason(SigningImageException.Reason reason, org.junit.jupiter.api.function.Executable call) {
        assertEquals(reason, assertThrows(SigningImageException.class, call).reason());
    }
}
