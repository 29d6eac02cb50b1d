package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** DT of protocol.md at its edges; the values are RFC 4226 Appendix D's (count 0 and 7). */
class TruncationTest {

    private static final byte[] COUNT_0 = HexFormat.of().parseHex("cc93cf18508d94934c64b65d8ba7667fb7cde4b0");
    private static final byte[] COUNT_7 = HexFormat.of().parseHex("a4fb960c0bc06e1eabb804e5b397cdc4b45596fa");

    @Test
    void dt_everyDigitCount_lastDigitsOfSbitsZeroPadded() {
        // Sbits of count 0 is 1284755224, of count 7 is 82162583 (RFC 4226 Appendix D, table 2).
        assertEquals("5224", Truncation.dt(COUNT_0, 4));
        assertEquals("755224", Truncation.dt(COUNT_0, 6));
        assertEquals("84755224", Truncation.dt(COUNT_0, 8));
        assertEquals("1284755224", Truncation.dt(COUNT_0, 10));
        assertEquals("0082162583", Truncation.dt(COUNT_7, 10));
        assertEquals("082162583", Truncation.dt(COUNT_7, 9));
    }

    @Test
    void dt_badDigitsOrShortHmac_refused() {
        assertThrows(IllegalArgumentException.class, () -> Truncation.dt(COUNT_0, 3));
        assertThrows(IllegalArgumentException.class, () -> Truncation.dt(COUNT_0, 11));
        assertThrows(IllegalArgumentException.class, () -> Truncation.dt(new byte[19], 6));
        assertThrows(IllegalArgumentException.class, () -> Truncation.dt(null, 6));
    }
}
