package org.countersign.registration.service;

import static org.countersign.registration.service.PskcTestDocuments.RFC_SECRET;
import static org.countersign.registration.service.PskcTestDocuments.bytes;
import static org.countersign.registration.service.PskcTestDocuments.figure;
import static org.countersign.registration.service.PskcTestDocuments.plainContainer;
import static org.countersign.registration.service.PskcTestDocuments.plainKeyPackage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.countersign.secrets.Secret;
import org.countersign.registration.domain.PskcCredentials;
import org.countersign.registration.service.PskcException.Reason;
import org.junit.jupiter.api.Test;

/**
 * Documents that must be refused whole, each with its reason code, quickly, and with a message that
 * carries nothing secret and nothing the document could have smuggled in.
 */
class PskcParserHostileTest {

    private static final String HOTP = "urn:ietf:params:xml:ns:keyprov:pskc:hotp";
    private static final byte[] FIGURE6_KEY = HexFormat.of().parseHex("12345678901234567890123456789012");
    private static final String FIGURE6_MAC_KEY_HEX = "1122334455667788990011223344556677889900";
    private static final String FIGURE6_VALUE_MAC = "Su+NvtQfmvfJzF6bmQiJqoLRExc=";
    private static final String FIGURE6_SECRET_CIPHER = "AAECAwQFBgcICQoLDA0OD+cIHItlB3Wra1DUpxVvOx2lef1VmNPCMl8jwZqIUqGv";
    private static final String FIGURE7_VALUE_MAC = "LP6xMvjtypbfT9PdkJhBZ+D6O4w=";

    private final PskcParser parser = new PskcParser();

    // --- XML attacks ---------------------------------------------------------------------------

    @Test
    void parse_externalEntityFile_refusedWithoutReadingIt() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE KeyContainer [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
                <KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">
                  <KeyPackage><DeviceInfo><SerialNo>&xxe;</SerialNo></DeviceInfo>
                    <Key Id="1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp">
                      <Data><Secret><PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret></Data>
                    </Key>
                  </KeyPackage>
                </KeyContainer>
                """;

        PskcException e = refused(Reason.DTD_FORBIDDEN, xml, PskcCredentials.none());
        assertFalse(e.getMessage().contains("root:"), e.getMessage());
    }

    @Test
    void parse_externalDtdAndParameterEntity_refusedWithoutAnyConnection() throws IOException {
        try (ServerSocket trap = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + trap.getLocalPort() + "/evil.dtd";
            String externalDtd = """
                    <?xml version="1.0"?>
                    <!DOCTYPE KeyContainer SYSTEM "%s">
                    <KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"/>
                    """.formatted(url);
            String parameterEntity = """
                    <?xml version="1.0"?>
                    <!DOCTYPE KeyContainer [ <!ENTITY %% remote SYSTEM "%s"> %%remote; ]>
                    <KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"/>
                    """.formatted(url);

            refused(Reason.DTD_FORBIDDEN, externalDtd, PskcCredentials.none());
            refused(Reason.DTD_FORBIDDEN, parameterEntity, PskcCredentials.none());

            trap.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, trap::accept, "the parser must not fetch anything");
        }
    }

    @Test
    void parse_billionLaughs_refusedQuicklyWithoutExpansion() {
        StringBuilder dtd = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE KeyContainer [" + dtd + "]>"
                + "<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\">&lol9;</KeyContainer>";

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> refused(Reason.DTD_FORBIDDEN, xml, PskcCredentials.none()));
    }

    @Test
    void parse_xinclude_notProcessed() {
        String xml = plainContainer(plainKeyPackage(
                "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/>",
                "1", HOTP, "", ""));

        PskcException e = refused(Reason.MALFORMED, xml, PskcCredentials.none());
        assertFalse(e.getMessage().contains("root:"), e.getMessage());
    }

    @Test
    void parse_deeplyNestedElements_refused() {
        String deep = "<x>".repeat(200) + "</x>".repeat(200);
        String xml = plainContainer(plainKeyPackage("1", "1", HOTP, deep, ""));

        refused(Reason.MALFORMED, xml, PskcCredentials.none());
    }

    @Test
    void parse_notXml_refusedAsMalformed() {
        refused(Reason.MALFORMED, "this is not a PSKC document", PskcCredentials.none());
        refused(Reason.MALFORMED, "<KeyContainer", PskcCredentials.none());
        assertEquals(Reason.MALFORMED, assertThrows(PskcException.class,
                () -> parser.parse(new byte[0], PskcCredentials.none())).reason());
        assertEquals(Reason.MALFORMED, assertThrows(PskcException.class,
                () -> parser.parse(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, 3}, PskcCredentials.none())).reason());
    }

    @Test
    void parse_wrongNamespaceOrVersion_refusedAsUnsupportedFormat() {
        String draftNamespace = figure(3).replace("xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\"",
                "xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc:1.0\"");
        String noNamespace = figure(3).replace("xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\"", "");
        String version2 = figure(3).replace("Version=\"1.0\"", "Version=\"2.0\"");

        refused(Reason.UNSUPPORTED_FORMAT, draftNamespace, PskcCredentials.none());
        refused(Reason.UNSUPPORTED_FORMAT, noNamespace, PskcCredentials.none());
        refused(Reason.UNSUPPORTED_FORMAT, version2, PskcCredentials.none());
    }

    // --- size limits -----------------------------------------------------------------------------

    @Test
    void parse_overFiveMebibytes_refusedBeforeParsing() {
        byte[] huge = new byte[PskcParser.DEFAULT_MAX_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');

        PskcException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(PskcException.class, () -> parser.parse(huge, PskcCredentials.none())));
        assertEquals(Reason.TOO_LARGE, e.reason());
    }

    @Test
    void parse_moreThanTenThousandKeys_refusedAndExactlyTenThousandAccepted() {
        StringBuilder packages = new StringBuilder();
        for (int i = 1; i <= PskcParser.DEFAULT_MAX_KEYS; i++) {
            packages.append("<KeyPackage><DeviceInfo><SerialNo>").append(i).append("</SerialNo></DeviceInfo>")
                    .append("<Key Id=\"").append(i).append("\" Algorithm=\"").append(HOTP).append("\"><Data><Secret>")
                    .append("<PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret></Data></Key></KeyPackage>");
        }
        String tenThousand = plainContainer(packages.toString());
        String oneMore = plainContainer(packages + plainKeyPackage("extra", "extra", HOTP, "", ""));

        assertEquals(PskcParser.DEFAULT_MAX_KEYS, parser.parse(bytes(tenThousand), PskcCredentials.none()).tokens().size());
        refused(Reason.TOO_LARGE, oneMore, PskcCredentials.none());
    }

    @Test
    void parse_noKeysOrOnlyPinKeys_refusedAsNoKeys() {
        refused(Reason.NO_KEYS, plainContainer(""), PskcCredentials.none());
        refused(Reason.NO_KEYS, plainContainer("<KeyPackage><DeviceInfo><SerialNo>1</SerialNo></DeviceInfo></KeyPackage>"),
                PskcCredentials.none());
        refused(Reason.NO_KEYS, plainContainer(plainKeyPackage("1", "1", "urn:ietf:params:xml:ns:keyprov:pskc:pin", "", "")),
                PskcCredentials.none());
    }

    // --- content ------------------------------------------------------------------------------

    @Test
    void parse_unsupportedKeyAlgorithm_refusedWithoutQuotingIt() {
        String xml = plainContainer(plainKeyPackage("1", "1", "urn:example:evil<script>", "", ""));

        PskcException e = refused(Reason.UNSUPPORTED_ALGORITHM, xml.replace("<script>", "&lt;script&gt;"), PskcCredentials.none());
        assertFalse(e.getMessage().contains("urn:example"), e.getMessage());
    }

    @Test
    void parse_duplicateSerialWithoutPeriods_refused() {
        String xml = plainContainer(plainKeyPackage("555", "a", HOTP, "", "") + plainKeyPackage("555", "b", HOTP, "", ""));

        PskcException e = refused(Reason.DUPLICATE_SERIAL, xml, PskcCredentials.none());
        assertTrue(e.getMessage().contains("555"), e.getMessage());
    }

    @Test
    void parse_duplicateSerialWithOverlappingPeriods_refused() {
        String march = "<Policy><StartDate>2006-03-01T00:00:00Z</StartDate><ExpiryDate>2006-03-31T00:00:00Z</ExpiryDate></Policy>";
        String marchToApril = "<Policy><StartDate>2006-03-15T00:00:00Z</StartDate><ExpiryDate>2006-04-30T00:00:00Z</ExpiryDate></Policy>";
        String xml = plainContainer(plainKeyPackage("555", "a", HOTP, "", march) + plainKeyPackage("555", "b", HOTP, "", marchToApril));

        refused(Reason.DUPLICATE_SERIAL, xml, PskcCredentials.none());
    }

    @Test
    void parse_serialWithForeignCharacters_refusedWithoutQuotingIt() {
        String xml = plainContainer(plainKeyPackage("98 76&lt;b&gt;", "1", HOTP, "", ""));

        PskcException e = refused(Reason.MALFORMED, xml, PskcCredentials.none());
        assertFalse(e.getMessage().contains("98 76"), e.getMessage());
        assertTrue(e.getMessage().contains("KeyPackage 1"), e.getMessage());
    }

    @Test
    void parse_badValues_refusedAsMalformed() {
        String badBase64 = figure(3).replace("MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=", "MTIz*NDU2");
        String emptySecret = figure(3).replace("MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=", "");
        String badCounter = figure(3).replace("<PlainValue>0</PlainValue>", "<PlainValue>zero</PlainValue>");
        String negativeCounter = figure(3).replace("<PlainValue>0</PlainValue>", "<PlainValue>-1</PlainValue>");
        String fourDigits = figure(3).replace("Length=\"8\"", "Length=\"4\"");
        String twoSerials = figure(3).replace("<SerialNo>987654321</SerialNo>", "<SerialNo>1</SerialNo><SerialNo>2</SerialNo>");
        String noKeyId = figure(3).replace("Key Id=\"12345678\"", "Key");

        for (String xml : new String[] {badBase64, emptySecret, badCounter, negativeCounter, fourDigits, twoSerials, noKeyId}) {
            refused(Reason.MALFORMED, xml, PskcCredentials.none());
        }
        String plainAndEncrypted = figure(6).replace("<Secret>", "<Secret><PlainValue>MTIzNA==</PlainValue>");
        refused(Reason.MALFORMED, plainAndEncrypted, PskcCredentials.preSharedKey(Secret.copyOf(FIGURE6_KEY)));
    }

    @Test
    void parse_oneBadKeyInABatch_wholeDocumentRefused() {
        String xml = figure(10).replaceFirst("(?s)(<SerialNo>9999999</SerialNo>.*?<PlainValue>)\\s*MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=",
                "$1 not*base64");

        refused(Reason.MALFORMED, xml, PskcCredentials.none());
    }

    // --- encryption and MAC ------------------------------------------------------------------

    @Test
    void parse_encryptedWithoutCredentials_refusedAsMissingPasswordOrKey() {
        refused(Reason.MISSING_PASSWORD, figure(7), PskcCredentials.none());
        refused(Reason.MISSING_PASSWORD, figure(7), PskcCredentials.preSharedKey(Secret.copyOf(FIGURE6_KEY)));
        refused(Reason.MISSING_PRE_SHARED_KEY, figure(6), PskcCredentials.none());
        refused(Reason.MISSING_PRE_SHARED_KEY, figure(6), PskcCredentials.password("qwerty".toCharArray()));
    }

    @Test
    void parse_wrongPasswordWrongKeyWrongMacTamperedCipherText_allTheSameAnswer() {
        String wrongPassword = message(Reason.WRONG_PASSWORD_OR_MAC, figure(7), PskcCredentials.password("qwertz".toCharArray()));
        String figure7WrongMac = message(Reason.WRONG_PASSWORD_OR_MAC, figure(7).replace(FIGURE7_VALUE_MAC, flipFirstByte(FIGURE7_VALUE_MAC)),
                PskcCredentials.password("qwerty".toCharArray()));
        String wrongKey = message(Reason.WRONG_PASSWORD_OR_MAC, figure(6),
                PskcCredentials.preSharedKey(Secret.copyOf(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"))));
        String wrongKeyLength = message(Reason.WRONG_PASSWORD_OR_MAC, figure(6),
                PskcCredentials.preSharedKey(Secret.copyOf(new byte[32])));
        String figure6WrongMac = message(Reason.WRONG_PASSWORD_OR_MAC, figure(6).replace(FIGURE6_VALUE_MAC, flipFirstByte(FIGURE6_VALUE_MAC)),
                PskcCredentials.preSharedKey(Secret.copyOf(FIGURE6_KEY)));
        String tamperedCipherText = message(Reason.WRONG_PASSWORD_OR_MAC,
                figure(6).replace(FIGURE6_SECRET_CIPHER, flipLastByte(FIGURE6_SECRET_CIPHER)),
                PskcCredentials.preSharedKey(Secret.copyOf(FIGURE6_KEY)));

        for (String other : new String[] {figure7WrongMac, wrongKey, wrongKeyLength, figure6WrongMac, tamperedCipherText}) {
            assertEquals(wrongPassword, other);
        }
    }

    @Test
    void parse_validMacOverBadPadding_sameAnswerAsWrongMac() {
        byte[] key = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] macKey = HexFormat.of().parseHex(FIGURE6_MAC_KEY_HEX);
        byte[] iv = new byte[16];
        String macKeyCipher = PskcTestDocuments.encrypt(key, iv, macKey);
        String secretCipher = PskcTestDocuments.encryptRaw(key, iv, new byte[32]);
        String xml = PskcTestDocuments.preSharedKeyDocument("http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                "http://www.w3.org/2000/09/xmldsig#hmac-sha1", macKeyCipher, "42", secretCipher,
                PskcTestDocuments.hmac("HmacSHA1", macKey, secretCipher));
        String wrongMac = PskcTestDocuments.preSharedKeyDocument("http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                "http://www.w3.org/2000/09/xmldsig#hmac-sha1", macKeyCipher, "42", secretCipher, FIGURE6_VALUE_MAC);

        PskcCredentials credentials = PskcCredentials.preSharedKey(Secret.copyOf(key));
        assertEquals(message(Reason.WRONG_PASSWORD_OR_MAC, wrongMac, credentials),
                message(Reason.WRONG_PASSWORD_OR_MAC, xml, credentials));
    }

    @Test
    void parse_encryptedValueWithoutMac_refusedAsMissingMac() {
        PskcCredentials key = PskcCredentials.preSharedKey(Secret.copyOf(FIGURE6_KEY));
        String noValueMac = figure(6).replaceFirst("(?s)<ValueMAC>.*?</ValueMAC>", "");
        String noMacMethod = figure(6).replaceFirst("(?s)<MACMethod.*?</MACMethod>", "");

        refused(Reason.MISSING_MAC, noValueMac, key);
        refused(Reason.MISSING_MAC, noMacMethod, key);
    }

    @Test
    void parse_unsupportedCryptoAlgorithms_refused() {
        PskcCredentials key = PskcCredentials.preSharedKey(Secret.copyOf(FIGURE6_KEY));
        String md5Mac = figure(6).replace("http://www.w3.org/2000/09/xmldsig#hmac-sha1", "http://www.w3.org/2001/04/xmldsig-more#hmac-md5");
        String gcm = figure(6).replace("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "http://www.w3.org/2009/xmlenc11#aes128-gcm");
        String scrypt = figure(7).replace("pkcs-5v2-0#pbkdf2\"", "pkcs-5v2-0#scrypt\"");
        String md5Prf = figure(7).replace("<PRF/>", "<PRF Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#hmac-md5\"/>");

        refused(Reason.UNSUPPORTED_ALGORITHM, md5Mac, key);
        refused(Reason.UNSUPPORTED_ALGORITHM, gcm, key);
        refused(Reason.UNSUPPORTED_ALGORITHM, scrypt, PskcCredentials.password("qwerty".toCharArray()));
        refused(Reason.UNSUPPORTED_ALGORITHM, md5Prf, PskcCredentials.password("qwerty".toCharArray()));
    }

    @Test
    void parse_hugePbkdf2IterationCount_refusedWithoutDeriving() {
        String xml = figure(7).replace("<IterationCount>1000</IterationCount>", "<IterationCount>2000000000</IterationCount>");

        assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> refused(Reason.UNSUPPORTED_ALGORITHM, xml, PskcCredentials.password("qwerty".toCharArray())));
    }

    // --- helpers ------------------------------------------------------------------------------

    private PskcException refused(Reason reason, String xml, PskcCredentials credentials) {
        PskcException e = assertThrows(PskcException.class, () -> parser.parse(bytes(xml), credentials));
        assertEquals(reason, e.reason(), e.getMessage());
        assertSafe(e.getMessage());
        return e;
    }

    private String message(Reason reason, String xml, PskcCredentials credentials) {
        return refused(reason, xml, credentials).getMessage();
    }

    /** Nothing secret of the RFC examples, in any spelling, and nothing that looks like a trace. */
    private static void assertSafe(String message) {
        PskcSecretLeaks.assertHidden(RFC_SECRET, message);
        PskcSecretLeaks.assertHidden(FIGURE6_KEY, message);
        PskcSecretLeaks.assertHidden(HexFormat.of().parseHex(FIGURE6_MAC_KEY_HEX), message);
        PskcSecretLeaks.assertHidden("qwerty".getBytes(StandardCharsets.US_ASCII), message);
        assertFalse(message.contains("qwerty"), message);
        assertFalse(message.contains("Exception"), message);
        assertFalse(message.contains("\tat "), message);
    }

    private static String flipFirstByte(String base64) {
        byte[] b = Base64.getDecoder().decode(base64.strip());
        b[0] ^= 0x01;
        return Base64.getEncoder().encodeToString(b);
    }

    private static String flipLastByte(String base64) {
        byte[] b = Base64.getDecoder().decode(base64.strip());
        b[b.length - 1] ^= 0x01;
        return Base64.getEncoder().encodeToString(b);
    }
}
