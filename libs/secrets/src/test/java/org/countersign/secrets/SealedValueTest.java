package org.countersign.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SealedValueTest {

    private static final String THIRTY_BYTES = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[30]);

    @Test
    void parse_malformed_refused() {
        for (String bad : new String[] {"", "v2.k1.AAAA", "v2.k1", "v2.k1.!!!!", "v2..AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "v4.k1." + THIRTY_BYTES, "v2.k1." + THIRTY_BYTES + ".x", "v2.bad id." + THIRTY_BYTES}) {
            assertThrows(IllegalArgumentException.class, () -> SealedValue.parse(bad), bad);
        }
    }

    @Test
    void parse_formatV1_refusedWithAMessageThatSaysWhatToDo() {
        // A value as the development format before owner binding wrote it: v1.<kid>.<nonce ‖ ciphertext ‖ tag>.
        SealedValue.RetiredFormatException e = assertThrows(SealedValue.RetiredFormatException.class,
                () -> SealedValue.parse("v1.dev." + THIRTY_BYTES));
        assertTrue(e.getMessage().contains("format v1"), e.getMessage());
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
        assertTrue(e.getMessage().contains("docs/decisions.md"), e.getMessage());
    }

    @Test
    void text_roundTrips() {
        SealedValue value = new SealedValue("k-1", new byte[40]);
        assertEquals("v2.k-1." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[40]), value.toText());
        assertEquals(value, SealedValue.parse(value.toText()));
    }

    @Test
    void text_transportFormatV3_roundTrips() {
        SealedValue value = SealedValue.parse("v3.k-1." + THIRTY_BYTES);
        assertEquals("v3", value.version());
        assertEquals("v3.k-1." + THIRTY_BYTES, value.toText());
        assertTrue(!value.equals(new SealedValue("k-1", value.sealed())), "v2 and v3 of the same bytes differ");
    }
}
