package org.countersign.registration.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

class PskcTokenTest {

    private static final byte[] SEED = HexFormat.of().parseHex("3132333435363738393031323334353637383930");

    private static PskcToken.Builder valid() {
        return PskcToken.builder().serialNumber("987654321").keyId("k1")
                .algorithm("urn:ietf:params:xml:ns:keyprov:pskc:hotp", PskcKind.HOTP)
                .secret(Secret.copyOf(SEED));
    }

    @Test
    void build_valid_keepsFields() {
        PskcToken token = valid().counter(5L).build();

        assertEquals("987654321", token.serialNumber().orElseThrow());
        assertEquals(5L, token.counter().getAsLong());
        assertArrayEquals(SEED, token.secret().reveal());
    }

    @Test
    void build_invalidCombinations_fail() {
        List<UnaryOperator<PskcToken.Builder>> invalid = List.of(
                b -> b.serialNumber("98 76"),
                b -> b.serialNumber("x".repeat(65)),
                b -> b.keyId(""),
                b -> b.keyId(null),
                b -> b.manufacturer("m".repeat(257)),
                b -> b.ocraSuite("OCRA-1:HOTP-SHA1-6:QN08"),
                b -> b.algorithm("urn:x#OCRA-1:HOTP-SHA1-6:QN08", PskcKind.OCRA),
                b -> b.algorithm("urn:x#OCRA-1", PskcKind.OCRA).ocraSuite("OCRA-2:HOTP-SHA1-6:QN08"),
                b -> b.counter(-1L),
                b -> b.time(-1L),
                b -> b.timeInterval(30),
                b -> b.algorithm("urn:x:totp", PskcKind.TOTP).timeInterval(0),
                b -> b.validity(Instant.parse("2020-02-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z")));

        for (UnaryOperator<PskcToken.Builder> change : invalid) {
            assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build());
        }
        assertThrows(NullPointerException.class, () -> valid().secret(null).build());
    }

    @Test
    void responseFormat_lengthOutsideSixToTen_fails() {
        assertThrows(IllegalArgumentException.class, () -> new PskcResponseFormat(5, PskcResponseFormat.Encoding.DECIMAL, false));
        assertThrows(IllegalArgumentException.class, () -> new PskcResponseFormat(11, PskcResponseFormat.Encoding.DECIMAL, false));
        assertThrows(NullPointerException.class, () -> new PskcResponseFormat(6, null, false));
    }

    @Test
    void validityOverlaps_disjointAndOpenPeriods() {
        PskcToken march = valid().validity(Instant.parse("2006-03-01T00:00:00Z"), Instant.parse("2006-03-31T00:00:00Z")).build();
        PskcToken april = valid().validity(Instant.parse("2006-04-01T00:00:00Z"), Instant.parse("2006-04-30T00:00:00Z")).build();
        PskcToken open = valid().build();

        assertFalse(march.validityOverlaps(april));
        assertFalse(april.validityOverlaps(march));
        assertTrue(open.validityOverlaps(march));
        assertTrue(march.validityOverlaps(march));
    }

    @Test
    void toString_showsNoSeed() {
        String text = valid().build().toString();

        assertFalse(text.contains(HexFormat.of().formatHex(SEED)), text);
        assertFalse(text.contains("MTIzNDU2Nzg5MDEyMzQ1Njc4OTA"), text);
        assertFalse(text.contains("12345678901234567890"), text);
        assertTrue(text.contains("Secret[20 bytes]"), text);
    }

    @Test
    void importRecord_emptyOrNegative_fails() {
        assertThrows(IllegalArgumentException.class, () -> new PskcImport(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new PskcImport(List.of(valid().build()), -1));
    }
}
