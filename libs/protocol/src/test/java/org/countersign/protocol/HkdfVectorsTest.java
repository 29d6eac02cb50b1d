package org.countersign.protocol;

import static org.countersign.protocol.KnownAnswers.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.countersign.protocol.internal.Hkdf;
import org.junit.jupiter.api.Test;

/** RFC 5869 Appendix A, test cases 1 to 3: the independent check of the HKDF behind every key. */
class HkdfVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc5869AppendixA_sha256Cases_prkAndOkmMatch() {
        KnownAnswers vectors = KnownAnswers.load("rfc5869/appendix-a.json");
        vectors.each(v -> {
            byte[] ikm = HEX.parseHex(v.path("ikm").asText());
            byte[] salt = HEX.parseHex(v.path("salt").asText());
            byte[] info = HEX.parseHex(v.path("info").asText());
            expect("PRK", v.path("prk").asText(), HEX.formatHex(Hkdf.extract(ikm, salt)));
            expect("OKM", v.path("okm").asText(), HEX.formatHex(Hkdf.derive(ikm, salt, info, v.path("length").asInt())));
        }).assertAllPassed();
        assertEquals(3, vectors.count());
    }

    @Test
    void derive_lengthOutOfRange_refused() {
        assertThrows(IllegalArgumentException.class, () -> Hkdf.derive(new byte[1], null, new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> Hkdf.derive(new byte[1], null, new byte[0], 255 * 32 + 1));
    }
}
