package org.countersign.registration.service;

import static org.countersign.registration.service.PskcTestDocuments.RFC_SECRET;
import static org.countersign.registration.service.PskcTestDocuments.bytes;
import static org.countersign.registration.service.PskcTestDocuments.figure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.countersign.secrets.Secret;
import org.countersign.registration.domain.PskcCredentials;
import org.countersign.registration.domain.PskcImport;
import org.countersign.registration.domain.PskcKind;
import org.countersign.registration.domain.PskcResponseFormat;
import org.countersign.registration.domain.PskcToken;
import org.countersign.registration.service.PskcException.Reason;
import org.junit.jupiter.api.Test;

/**
 * The example documents of RFC 6030 (src/test/resources/pskc/rfc6030, see its README). Expected
 * values are the ones printed in, or named by, the RFC.
 */
class PskcParserRfc6030Test {

    private static final String HOTP = "urn:ietf:params:xml:ns:keyprov:pskc:hotp";
    /** RFC 6030 section 6.1: the pre-shared key of Figure 6. */
    private static final byte[] FIGURE6_KEY = HexFormat.of().parseHex("12345678901234567890123456789012");
    /** RFC 6030 section 6.2: the password of Figure 7. */
    private static final char[] FIGURE7_PASSWORD = "qwerty".toCharArray();

    private final PskcParser parser = new PskcParser();

    @Test
    void parse_figure2Basic_oneHotpTokenWithoutSerial() {
        PskcImport result = parser.parse(bytes(figure(2)), PskcCredentials.none());

        PskcToken token = single(result);
        assertEquals(Optional.empty(), token.serialNumber());
        assertEquals("12345678", token.keyId());
        assertEquals(HOTP, token.algorithm());
        assertEquals(PskcKind.HOTP, token.kind());
        assertEquals(Optional.empty(), token.responseFormat());
        assertArrayEquals("1234".getBytes(StandardCharsets.US_ASCII), token.secret().reveal());
    }

    @Test
    void parse_figure3SupplementaryData_allFieldsRead() {
        PskcToken token = single(parser.parse(bytes(figure(3)), PskcCredentials.none()));

        assertEquals(Optional.of("987654321"), token.serialNumber());
        assertEquals(Optional.of("Manufacturer"), token.manufacturer());
        assertEquals("12345678", token.keyId());
        assertEquals(PskcKind.HOTP, token.kind());
        assertEquals(Optional.of(new PskcResponseFormat(8, PskcResponseFormat.Encoding.DECIMAL, false)), token.responseFormat());
        assertEquals(0L, token.counter().getAsLong());
        assertArrayEquals(RFC_SECRET, token.secret().reveal());
    }

    @Test
    void parse_figure4KeyReferenceWithoutSecret_refusedAsMissingSecret() {
        PskcException e = assertThrows(PskcException.class, () -> parser.parse(bytes(figure(4)), PskcCredentials.none()));

        assertEquals(Reason.MISSING_SECRET, e.reason());
        assertTrue(e.getMessage().contains("987654321"), e.getMessage());
    }

    @Test
    void parse_figure5PinProtectedKey_hotpTokenKeptPinKeySkipped() {
        PskcImport result = parser.parse(bytes(figure(5)), PskcCredentials.none());

        PskcToken token = single(result);
        assertEquals(Optional.of("987654321"), token.serialNumber());
        assertEquals("12345678", token.keyId());
        assertEquals(8, token.responseFormat().orElseThrow().length());
        assertEquals(0L, token.counter().getAsLong());
        assertArrayEquals(RFC_SECRET, token.secret().reveal());
        assertEquals(1, result.pinKeysSkipped());
    }

    @Test
    void parse_figure6PreSharedKey_secretDecryptedAfterMacCheck() {
        PskcImport result = parser.parse(bytes(figure(6)), PskcCredentials.preSharedKey(Secret.copyOf(FIGURE6_KEY)));

        PskcToken token = single(result);
        assertEquals(Optional.of("987654321"), token.serialNumber());
        assertEquals(Optional.of("Manufacturer"), token.manufacturer());
        assertEquals("12345678", token.keyId());
        assertEquals(8, token.responseFormat().orElseThrow().length());
        assertEquals(0L, token.counter().getAsLong());
        assertArrayEquals(RFC_SECRET, token.secret().reveal());
    }

    @Test
    void parse_figure7PasswordQwerty_secretDecryptedAfterMacCheck() {
        PskcImport result = parser.parse(bytes(figure(7)), PskcCredentials.password(FIGURE7_PASSWORD));

        PskcToken token = single(result);
        assertEquals(Optional.of("987654321"), token.serialNumber());
        assertEquals(Optional.of("TokenVendorAcme"), token.manufacturer());
        assertEquals("123456", token.keyId());
        assertEquals(PskcKind.HOTP, token.kind());
        assertEquals(8, token.responseFormat().orElseThrow().length());
        assertArrayEquals(RFC_SECRET, token.secret().reveal());
    }

    @Test
    void parse_figure8AsymmetricEncryption_refusedAsUnsupported() {
        PskcException e = assertThrows(PskcException.class,
                () -> parser.parse(bytes(figure(8)), PskcCredentials.password("anything".toCharArray())));

        assertEquals(Reason.UNSUPPORTED_ALGORITHM, e.reason());
    }

    @Test
    void parse_figure9SignedDocument_plainKeyReadSignatureIgnored() {
        PskcToken token = single(parser.parse(bytes(figure(9)), PskcCredentials.none()));

        assertEquals(Optional.of("0755225266"), token.serialNumber());
        assertEquals(Optional.of("TokenVendorAcme"), token.manufacturer());
        assertEquals("123", token.keyId());
        assertEquals(6, token.responseFormat().orElseThrow().length());
        assertEquals(0L, token.counter().getAsLong());
        assertArrayEquals(RFC_SECRET, token.secret().reveal());
    }

    @Test
    void parse_figure10Bulk_fourTokensWithDisjointPeriodsForSharedSerial() {
        List<PskcToken> tokens = parser.parse(bytes(figure(10)), PskcCredentials.none()).tokens();

        assertEquals(List.of("654321", "123456", "9999999", "9999999"),
                tokens.stream().map(t -> t.serialNumber().orElseThrow()).toList());
        assertEquals(List.of("1", "2", "3", "4"), tokens.stream().map(PskcToken::keyId).toList());
        for (PskcToken token : tokens) {
            assertEquals(Optional.of("TokenVendorAcme"), token.manufacturer());
            assertEquals(PskcKind.HOTP, token.kind());
            assertEquals(8, token.responseFormat().orElseThrow().length());
            assertEquals(0L, token.counter().getAsLong());
            assertArrayEquals(RFC_SECRET, token.secret().reveal());
        }
        assertEquals(Optional.of(Instant.parse("2006-05-01T00:00:00Z")), tokens.get(0).validFrom());
        assertEquals(Optional.of(Instant.parse("2006-05-31T00:00:00Z")), tokens.get(0).validUntil());
        assertEquals(Optional.of(Instant.parse("2006-03-01T00:00:00Z")), tokens.get(2).validFrom());
        assertEquals(Optional.of(Instant.parse("2006-03-31T00:00:00Z")), tokens.get(2).validUntil());
        assertEquals(Optional.of(Instant.parse("2006-04-01T00:00:00Z")), tokens.get(3).validFrom());
        assertEquals(Optional.of(Instant.parse("2006-04-30T00:00:00Z")), tokens.get(3).validUntil());
    }

    @Test
    void parse_everyImportableFigure_noToStringShowsTheSecret() {
        List<PskcImport> imports = List.of(
                parser.parse(bytes(figure(2)), PskcCredentials.none()),
                parser.parse(bytes(figure(3)), PskcCredentials.none()),
                parser.parse(bytes(figure(5)), PskcCredentials.none()),
                parser.parse(bytes(figure(6)), PskcCredentials.preSharedKey(Secret.copyOf(FIGURE6_KEY))),
                parser.parse(bytes(figure(7)), PskcCredentials.password(FIGURE7_PASSWORD)),
                parser.parse(bytes(figure(9)), PskcCredentials.none()),
                parser.parse(bytes(figure(10)), PskcCredentials.none()));

        for (PskcImport result : imports) {
            for (PskcToken token : result.tokens()) {
                PskcSecretLeaks.assertHidden(token.secret().reveal(), token.toString());
                PskcSecretLeaks.assertHidden(token.secret().reveal(), result.toString());
                assertTrue(token.toString().contains("bytes]"), "the secret shows as its length");
            }
        }
    }

    private static PskcToken single(PskcImport result) {
        assertEquals(1, result.tokens().size());
        return result.tokens().get(0);
    }
}
