package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/**
 * Windows, replay-friendly step reporting, drift and resynchronisation. The codes come from RFC 4226
 * Appendix D (counters 0 to 9 of its secret), so nothing here checks our generator against itself.
 */
class OtpVerifierTest {

    private static final Secret RFC4226_SECRET = Secret.copyOf("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
    private static final String[] RFC4226_HOTP = {
        "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489",
    };
    private static final OtpPolicy HOTP = OtpPolicy.parse("hotp:sha1:6");
    // As TOTP with a 30-second period, RFC 4226 counter c is the step of times 30c to 30c + 29.
    private static final OtpPolicy TOTP = OtpPolicy.parse("totp:sha1:6:30");

    private final OtpVerifier hotp = OtpVerifier.of(HOTP, RFC4226_SECRET);
    private final OtpVerifier totp = OtpVerifier.of(TOTP, RFC4226_SECRET);

    @Test
    void verify_hotpWithinLookAhead_reportsTheCounter() {
        assertEquals(7, hotp.verify(RFC4226_HOTP[7], OtpWindow.lookAhead(3, 4)));
        assertEquals(3, hotp.verify(RFC4226_HOTP[3], OtpWindow.lookAhead(3, 4)));
    }

    @Test
    void verify_hotpBeyondLookAheadOrBehind_invalid() {
        assertThrows(InvalidCodeException.class, () -> hotp.verify(RFC4226_HOTP[8], OtpWindow.lookAhead(3, 4)));
        assertThrows(InvalidCodeException.class, () -> hotp.verify(RFC4226_HOTP[2], OtpWindow.lookAhead(3, 4)));
    }

    @Test
    void verify_totpOneStepEitherSide_reportsStepForDriftLearning() {
        long now = 5 * 30 + 10;
        long current = TOTP.timeStep(now);
        OtpWindow window = OtpWindow.around(current, 1, 1);
        assertEquals(-1, totp.verify(RFC4226_HOTP[4], window) - current);
        assertEquals(0, totp.verify(RFC4226_HOTP[5], window) - current);
        assertEquals(1, totp.verify(RFC4226_HOTP[6], window) - current);
        assertThrows(InvalidCodeException.class, () -> totp.verify(RFC4226_HOTP[7], window));
        assertThrows(InvalidCodeException.class, () -> totp.verify(RFC4226_HOTP[3], window));
    }

    @Test
    void verify_totpWithLearnedDrift_windowMovesWithIt() {
        long current = 2;
        int drift = 6;
        assertEquals(8, totp.verify(RFC4226_HOTP[8], OtpWindow.around(current + drift, 1, 1)));
    }

    @Test
    void verify_stepAlreadyAccepted_refusedAfterwards() {
        OtpWindow window = OtpWindow.around(5, 1, 1);
        long accepted = totp.verify(RFC4226_HOTP[5], window.after(-1));
        assertEquals(5, accepted);
        assertThrows(InvalidCodeException.class, () -> totp.verify(RFC4226_HOTP[5], window.after(accepted)));
        assertThrows(InvalidCodeException.class, () -> totp.verify(RFC4226_HOTP[4], window.after(accepted)));
        assertEquals(6, totp.verify(RFC4226_HOTP[6], window.after(accepted)));
    }

    @Test
    void after_cutsTheWindow() {
        OtpWindow window = new OtpWindow(4, 6);
        assertEquals(window, window.after(3));
        assertEquals(new OtpWindow(6, 6), window.after(5));
        assertTrue(window.after(6).isEmpty());
        assertTrue(window.after(100).isEmpty());
        assertEquals(0, window.after(6).size());
        assertEquals(3, window.size());
    }

    @Test
    void verify_emptyWindow_invalid() {
        assertThrows(InvalidCodeException.class, () -> hotp.verify(RFC4226_HOTP[0], OtpWindow.exactly(0).after(0)));
    }

    @Test
    void verify_eachCounterOfAWideWindow_reportsThatCounter() {
        OtpWindow window = OtpWindow.lookAhead(0, 9);
        for (int c = 0; c < RFC4226_HOTP.length; c++) {
            assertEquals(c, hotp.verify(RFC4226_HOTP[c], window));
        }
    }

    @Test
    void verify_malformedCode_invalidWithTheSameMessage() {
        String[] malformed = {"75522", "7552240", "75522a", " 755224", "755224 ", "", "７５５２２４", "-55224"};
        for (String code : malformed) {
            InvalidCodeException e = assertThrows(InvalidCodeException.class,
                    () -> hotp.verify(code, OtpWindow.lookAhead(0, 9)), code);
            assertEquals("invalid code", e.getMessage());
        }
        assertThrows(InvalidCodeException.class, () -> hotp.verify(null, OtpWindow.lookAhead(0, 9)));
        InvalidCodeException wrong = assertThrows(InvalidCodeException.class, () -> hotp.verify("000000", OtpWindow.exactly(0)));
        assertEquals("invalid code", wrong.getMessage());
    }

    @Test
    void verifyConsecutive_twoCodesInWideWindow_reportsSecondCounter() {
        assertEquals(8, hotp.verifyConsecutive(RFC4226_HOTP[7], RFC4226_HOTP[8], OtpWindow.lookAhead(0, 7)));
        assertEquals(1, hotp.verifyConsecutive(RFC4226_HOTP[0], RFC4226_HOTP[1], OtpWindow.lookAhead(0, 9)));
    }

    @Test
    void verifyConsecutive_notConsecutiveOrOutsideWindow_invalid() {
        OtpWindow wide = OtpWindow.lookAhead(0, 9);
        assertThrows(InvalidCodeException.class, () -> hotp.verifyConsecutive(RFC4226_HOTP[3], RFC4226_HOTP[5], wide));
        assertThrows(InvalidCodeException.class, () -> hotp.verifyConsecutive(RFC4226_HOTP[5], RFC4226_HOTP[4], wide));
        assertThrows(InvalidCodeException.class, () -> hotp.verifyConsecutive(RFC4226_HOTP[5], RFC4226_HOTP[5], wide));
        // The first code must lie in the window.
        assertThrows(InvalidCodeException.class,
                () -> hotp.verifyConsecutive(RFC4226_HOTP[8], RFC4226_HOTP[9], OtpWindow.lookAhead(0, 7)));
        assertThrows(InvalidCodeException.class, () -> hotp.verifyConsecutive("12345", RFC4226_HOTP[1], wide));
    }

    @Test
    void window_badBounds_refused() {
        assertThrows(IllegalArgumentException.class, () -> new OtpWindow(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> new OtpWindow(0, OtpWindow.MAX_SIZE));
        assertThrows(IllegalArgumentException.class, () -> new OtpWindow(Long.MAX_VALUE - 1, Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> OtpWindow.around(5, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> OtpWindow.lookAhead(5, -1));
        assertEquals(OtpWindow.MAX_SIZE, new OtpWindow(0, OtpWindow.MAX_SIZE - 1).size());
        assertEquals(new OtpWindow(0, 2), OtpWindow.around(1, 5, 1));
    }

    @Test
    void generate_negativeMovingFactor_refused() {
        assertThrows(IllegalArgumentException.class, () -> Otp.at(HOTP, RFC4226_SECRET, -1));
    }

    @Test
    void toString_noKeyBytes() {
        Secret key = Secret.copyOf(HexFormat.of().parseHex("deadbeefcafebabe0123456789abcdef01234567"));
        OtpVerifier verifier = OtpVerifier.of(TOTP, key);
        for (String text : new String[] {verifier.toString(), TOTP.toString(), key.toString(), new OtpWindow(1, 2).toString()}) {
            assertFalse(text.toLowerCase().contains("deadbeef"), text);
            assertFalse(text.contains("3q2+7w"), text);
        }
    }
}
