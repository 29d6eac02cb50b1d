package org.countersign.registration.service;

import static org.countersign.registration.service.PskcTestDocuments.RFC_SECRET;
import static org.countersign.registration.service.PskcTestDocuments.bytes;
import static org.countersign.registration.service.PskcTestDocuments.figure;
import static org.countersign.registration.service.PskcTestDocuments.plainContainer;
import static org.countersign.registration.service.PskcTestDocuments.plainKeyPackage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.countersign.secrets.Secret;
import org.countersign.registration.domain.PskcCredentials;
import org.countersign.registration.domain.PskcKind;
import org.countersign.registration.domain.PskcToken;
import org.countersign.registration.service.PskcException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What the RFC 6030 figures do not show: TOTP and OCRA keys, the AES-192 and AES-256 ciphers, the
 * SHA-2 MACs and PRFs. Encrypted documents are built with the JDK's primitives called directly
 * (see {@link PskcTestDocuments}), so these are round trips through an independent implementation.
 */
class PskcParserTest {

    private static final byte[] SECRET_32 = HexFormat.of().parseHex(
            "3132333435363738393031323334353637383930313233343536373839303132");

    private final PskcParser parser = new PskcParser();

    @ParameterizedTest
    @CsvSource({"urn:ietf:params:xml:ns:keyprov:pskc#totp", "urn:ietf:params:xml:ns:keyprov:pskc:totp"})
    void parse_totpKey_timeParametersRead(String algorithm) {
        String data = "<Time><PlainValue>0</PlainValue></Time><TimeInterval><PlainValue>30</PlainValue></TimeInterval>"
                + "<TimeDrift><PlainValue>4</PlainValue></TimeDrift>";
        PskcToken token = parser.parse(bytes(plainContainer(plainKeyPackage("987654323", "t1", algorithm, data, ""))),
                PskcCredentials.none()).tokens().get(0);

        assertEquals(PskcKind.TOTP, token.kind());
        assertEquals(0L, token.time().getAsLong());
        assertEquals(30, token.timeInterval().getAsInt());
        assertEquals(4, token.timeDrift().getAsInt());
        assertEquals(Optional.empty(), token.ocraSuite());
        assertArrayEquals(RFC_SECRET, token.secret().reveal());
    }

    @Test
    void parse_ocraKey_suiteTakenFromAlgorithm() {
        String algorithm = "urn:ietf:params:xml:ns:keyprov:pskc#OCRA-1:HOTP-SHA512-8:C-QN08";
        PskcToken token = parser.parse(bytes(plainContainer(plainKeyPackage("987654322", "o1", algorithm,
                "<Counter><PlainValue>7</PlainValue></Counter>", ""))), PskcCredentials.none()).tokens().get(0);

        assertEquals(PskcKind.OCRA, token.kind());
        assertEquals(Optional.of("OCRA-1:HOTP-SHA512-8:C-QN08"), token.ocraSuite());
        assertEquals(7L, token.counter().getAsLong());
    }

    @Test
    void parse_ocraKeyWithInvalidSuite_refused() {
        String xml = plainContainer(plainKeyPackage("1", "o1", "urn:ietf:params:xml:ns:keyprov:pskc#OCRA-1:HOTP-MD5-8:QN08", "", ""));

        assertEquals(Reason.MALFORMED, assertThrows(PskcException.class, () -> parser.parse(bytes(xml), PskcCredentials.none())).reason());
    }

    @ParameterizedTest
    @CsvSource({
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc, 16, http://www.w3.org/2000/09/xmldsig#hmac-sha1, HmacSHA1",
        "http://www.w3.org/2001/04/xmlenc#aes192-cbc, 24, http://www.w3.org/2000/09/xmldsig#hmac-sha1, HmacSHA1",
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc, 32, http://www.w3.org/2000/09/xmldsig#hmac-sha1, HmacSHA1",
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc, 32, http://www.w3.org/2001/04/xmldsig-more#hmac-sha256, HmacSHA256",
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc, 32, http://www.w3.org/2001/04/xmldsig-more#hmac-sha512, HmacSHA512"
    })
    void parse_preSharedKeyCipherAndMacVariants_secretRecovered(String cipherUri, int keyBytes, String macUri, String macJca) {
        byte[] key = new byte[keyBytes];
        for (int i = 0; i < keyBytes; i++) {
            key[i] = (byte) (0xa0 + i);
        }
        byte[] macKey = HexFormat.of().parseHex("1122334455667788990011223344556677889900");
        String xml = PskcTestDocuments.preSharedKeyDocument(cipherUri, key, macUri, macJca, macKey, "777", SECRET_32);

        PskcToken token = parser.parse(bytes(xml), PskcCredentials.preSharedKey(Secret.copyOf(key))).tokens().get(0);

        assertEquals(Optional.of("777"), token.serialNumber());
        assertArrayEquals(SECRET_32, token.secret().reveal());
    }

    @Test
    void parse_pbkdf2WithSha256PrfAndAes256_secretRecovered() throws Exception {
        byte[] salt = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        char[] password = "correct horse battery staple".toCharArray();
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password, salt, 2000, 256)).getEncoded();
        byte[] macKey = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f1011121314");
        byte[] iv = HexFormat.of().parseHex("a13be8f92db69ec992d99fd1b5ca05f0");
        String macKeyCipher = PskcTestDocuments.encrypt(key, iv, macKey);
        String secretCipher = PskcTestDocuments.encrypt(key, iv, SECRET_32);
        String xml = figure(7)
                .replace("Ej7/PEpyEpw=", Base64.getEncoder().encodeToString(salt))
                .replace("<IterationCount>1000</IterationCount>", "<IterationCount>2000</IterationCount>")
                .replace("<KeyLength>16</KeyLength>", "<KeyLength>32</KeyLength>")
                .replace("<PRF/>", "<PRF Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#hmac-sha256\"/>")
                .replace("aes128-cbc", "aes256-cbc")
                .replace("2GTTnLwM3I4e5IO5FkufoOEiOhNj91fhKRQBtBJYluUDsPOLTfUvoU2dStyOwYZx", macKeyCipher)
                .replace("oTvo+S22nsmS2Z/RtcoF8Hfh+jzMe0RkiafpoDpnoZTjPYZu6V+A4aEn032yCr4f", secretCipher)
                .replace("LP6xMvjtypbfT9PdkJhBZ+D6O4w=", PskcTestDocuments.hmac("HmacSHA1", macKey, secretCipher));

        PskcToken token = parser.parse(bytes(xml), PskcCredentials.password(password)).tokens().get(0);

        assertArrayEquals(SECRET_32, token.secret().reveal());
    }

    @Test
    void parse_plainDocumentWithCredentials_credentialsIgnored() {
        PskcToken token = parser.parse(bytes(figure(3)), PskcCredentials.password("unused".toCharArray())).tokens().get(0);

        assertArrayEquals(RFC_SECRET, token.secret().reveal());
    }

    @Test
    void parse_policyDateWithoutZone_readAsUtc() {
        String policy = "<Policy><StartDate>2030-01-01T00:00:00</StartDate><ExpiryDate>2031-01-01T12:00:00+02:00</ExpiryDate></Policy>";
        PskcToken token = parser.parse(bytes(plainContainer(plainKeyPackage("1", "1",
                "urn:ietf:params:xml:ns:keyprov:pskc:hotp", "", policy))), PskcCredentials.none()).tokens().get(0);

        assertEquals(Optional.of(Instant.parse("2030-01-01T00:00:00Z")), token.validFrom());
        assertEquals(Optional.of(Instant.parse("2031-01-01T10:00:00Z")), token.validUntil());
    }

    @Test
    void parse_smallerLimits_applied() {
        PskcParser small = new PskcParser(PskcParser.DEFAULT_MAX_BYTES, 3);

        assertEquals(Reason.TOO_LARGE, assertThrows(PskcException.class,
                () -> small.parse(bytes(figure(10)), PskcCredentials.none())).reason());
        assertEquals(Reason.TOO_LARGE, assertThrows(PskcException.class,
                () -> new PskcParser(100, 10).parse(bytes(figure(3)), PskcCredentials.none())).reason());
    }

    @Test
    void constructor_nonPositiveLimits_refused() {
        assertThrows(IllegalArgumentException.class, () -> new PskcParser(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PskcParser(1, 0));
    }

    @Test
    void exception_mapsToInvalidPskcProblem() {
        PskcException e = assertThrows(PskcException.class, () -> parser.parse(bytes("nope"), PskcCredentials.none()));

        assertEquals("invalid-pskc", e.kind().slug());
        assertEquals(400, e.kind().status());
        assertEquals("malformed", e.reason().code());
    }
}
