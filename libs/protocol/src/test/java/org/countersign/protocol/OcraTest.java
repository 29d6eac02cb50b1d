package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** Suite parsing, input checks, challenges and windows. Known answers are RFC 6287 Appendix C's. */
class OcraTest {

    private static final Secret KEY_32 = Secret.copyOf("12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII));
    private static final Secret KEY_64 = Secret.copyOf(
            "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII));
    private static final Secret PIN_SHA1 = Secret.copyOf(HexFormat.of().parseHex("7110eda4d09e062aa5e4a390b0a572ac0d2c0220"));

    @Test
    void parse_rfcSuites_fieldsAndRoundTrip() {
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1");
        assertEquals(OtpAlgorithm.SHA256, suite.algorithm());
        assertEquals(8, suite.digits());
        assertTrue(suite.usesCounter());
        assertEquals(OcraSuite.ChallengeFormat.NUMERIC, suite.challengeFormat());
        assertEquals(8, suite.challengeLength());
        assertEquals(OtpAlgorithm.SHA1, suite.pinHash());
        assertFalse(suite.usesSession());
        assertFalse(suite.usesTime());

        OcraSuite timed = OcraSuite.parse("OCRA-1:HOTP-SHA512-8:QN08-T1M");
        assertEquals(60, timed.timeStepSeconds());
        assertFalse(timed.usesCounter());
        assertThrows(IllegalStateException.class, timed::pinHash);

        OcraSuite all = OcraSuite.parse("OCRA-1:HOTP-SHA1-10:C-QH64-PSHA512-S512-T48H");
        assertEquals(10, all.digits());
        assertEquals(OcraSuite.ChallengeFormat.HEX, all.challengeFormat());
        assertEquals(64, all.challengeLength());
        assertEquals(OtpAlgorithm.SHA512, all.pinHash());
        assertEquals(512, all.sessionLength());
        assertEquals(48 * 3600, all.timeStepSeconds());

        for (String text : new String[] {"OCRA-1:HOTP-SHA1-6:QN08", "OCRA-1:HOTP-SHA512-8:C-QN08",
                "OCRA-1:HOTP-SHA256-8:QN08-S064", "OCRA-1:HOTP-SHA256-8:QA08", "OCRA-1:HOTP-SHA512-8:QA10-T1M",
                "OCRA-1:HOTP-SHA1-4:QA04-T30S", "OCRA-1:HOTP-SHA1-6:QH40-S001", "OCRA-1:HOTP-SHA1-6:QN08-T59M"}) {
            assertEquals(text, OcraSuite.parse(text).format());
            assertEquals(OcraSuite.parse(text), OcraSuite.parse(text));
            assertEquals(text, OcraSuite.parse(text).toString());
        }
        assertNotEquals(OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QN08"), OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QN10"));
    }

    @Test
    void parse_invalidSuites_refused() {
        String[] refused = {
            "OCRA-2:HOTP-SHA1-6:QN08", "ocra-1:hotp-sha1-6:qn08", "OCRA-1:HOTP-MD5-6:QN08", "OCRA-1:HOTP-SHA1-0:QN08",
            "OCRA-1:HOTP-SHA1-3:QN08", "OCRA-1:HOTP-SHA1-11:QN08", "OCRA-1:HOTP-SHA1-06:QN08", "OCRA-1:HOTP-SHA1-6:QN8",
            "OCRA-1:HOTP-SHA1-6:QN03", "OCRA-1:HOTP-SHA1-6:QN65", "OCRA-1:HOTP-SHA1-6:QX08", "OCRA-1:HOTP-SHA1-6:C",
            "OCRA-1:HOTP-SHA1-6:QN08-C", "OCRA-1:HOTP-SHA1-6:QN08-P", "OCRA-1:HOTP-SHA1-6:QN08-PMD5",
            "OCRA-1:HOTP-SHA1-6:QN08-S", "OCRA-1:HOTP-SHA1-6:QN08-S64", "OCRA-1:HOTP-SHA1-6:QN08-S000",
            "OCRA-1:HOTP-SHA1-6:QN08-S513", "OCRA-1:HOTP-SHA1-6:QN08-T", "OCRA-1:HOTP-SHA1-6:QN08-T0M",
            "OCRA-1:HOTP-SHA1-6:QN08-T60S", "OCRA-1:HOTP-SHA1-6:QN08-T60M", "OCRA-1:HOTP-SHA1-6:QN08-T49H",
            "OCRA-1:HOTP-SHA1-6:QN08-T01M", "OCRA-1:HOTP-SHA1-6:QN08-T1D", "OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1",
            "OCRA-1:HOTP-SHA1-6:QN08-S064-PSHA1", "OCRA-1:HOTP-SHA1-6:QN08-PSHA1-PSHA1", "OCRA-1:HOTP-SHA1-6:QN08 ",
            "OCRA-1:HOTP-SHA1-6:QN08:", "OCRA-1:HOTP-SHA1-6", "", "OCRA-1:HOTP-SHA1-6:QN08-",
        };
        for (String text : refused) {
            assertThrows(IllegalArgumentException.class, () -> OcraSuite.parse(text), text);
        }
        assertThrows(IllegalArgumentException.class, () -> OcraSuite.parse(null));
    }

    @Test
    void response_inputNotMatchingSuite_refused() {
        OcraSuite counterPin = OcraSuite.parse("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1");
        OcraInput.Builder ok = OcraInput.builder().counter(0).question("12345678").pinHash(PIN_SHA1);
        assertEquals("65347737", Ocra.response(counterPin, KEY_32, ok.build())); // RFC 6287 C.1
        assertThrows(IllegalArgumentException.class,
                () -> Ocra.response(counterPin, KEY_32, OcraInput.builder().question("12345678").pinHash(PIN_SHA1).build()));
        assertThrows(IllegalArgumentException.class,
                () -> Ocra.response(counterPin, KEY_32, OcraInput.builder().counter(0).question("12345678").build()));
        assertThrows(IllegalArgumentException.class, () -> Ocra.response(counterPin, KEY_32,
                OcraInput.builder().counter(0).question("12345678").pinHash(Secret.random(32)).build()));
        assertThrows(IllegalArgumentException.class, () -> Ocra.response(counterPin, KEY_32,
                OcraInput.builder().counter(0).question("12345678").pinHash(PIN_SHA1).timeStep(1).build()));
        assertThrows(IllegalArgumentException.class, () -> Ocra.response(counterPin, KEY_32,
                OcraInput.builder().counter(0).question("12345678").pinHash(PIN_SHA1).session(new byte[1]).build()));
        // Questions: too long, wrong alphabet, empty, or a third one.
        for (String question : new String[] {"123456789", "1234567a", ""}) {
            assertThrows(IllegalArgumentException.class, () -> Ocra.response(counterPin, KEY_32,
                    OcraInput.builder().counter(0).question(question).pinHash(PIN_SHA1).build()), question);
        }
        assertThrows(IllegalArgumentException.class, () -> OcraInput.builder().question("1").question("2").question("3").build());
        assertThrows(IllegalArgumentException.class, () -> OcraInput.builder().build());
        assertThrows(IllegalArgumentException.class, () -> OcraInput.builder().question("1").counter(-1).build());
    }

    @Test
    void response_sessionLongerThanSuite_refused() {
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA256-8:QN08-S064");
        assertThrows(IllegalArgumentException.class,
                () -> Ocra.response(suite, KEY_32, OcraInput.builder().question("1").session(new byte[65]).build()));
        assertEquals(8, Ocra.response(suite, KEY_32, OcraInput.builder().question("1").session(new byte[64]).build()).length());
    }

    @Test
    void verify_wrongOrMalformedResponse_invalid() {
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA256-8:QA08");
        OcraInput input = OcraInput.builder().question("SIG10000").build();
        Ocra.verify(suite, KEY_32, input, "53095496"); // RFC 6287 C.3
        for (String response : new String[] {"53095497", "5309549", "530954960", "5309549a", "", "５３０９５４９６"}) {
            InvalidCodeException e = assertThrows(InvalidCodeException.class, () -> Ocra.verify(suite, KEY_32, input, response));
            assertEquals("invalid code", e.getMessage());
        }
        assertThrows(InvalidCodeException.class, () -> Ocra.verify(suite, KEY_32, input, null));
    }

    @Test
    void verify_counterWindow_reportsCounter() {
        // RFC 6287 C.1, OCRA-1:HOTP-SHA512-8:C-QN08: C=5 with Q=55555555 gives 34205738.
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA512-8:C-QN08");
        OcraInput input = OcraInput.builder().counter(0).question("55555555").build();
        assertEquals(5, Ocra.verify(suite, KEY_64, input, "34205738", OtpWindow.lookAhead(2, 5)));
        assertThrows(InvalidCodeException.class, () -> Ocra.verify(suite, KEY_64, input, "34205738", OtpWindow.lookAhead(0, 4)));
        assertThrows(InvalidCodeException.class,
                () -> Ocra.verify(suite, KEY_64, input, "34205738", OtpWindow.lookAhead(0, 9).after(5)));
    }

    @Test
    void verify_timeWindow_reportsTimeStep() {
        // RFC 6287 C.1, OCRA-1:HOTP-SHA512-8:QN08-T1M: T=0x132d0b6, Q=00000000 gives 95209754.
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA512-8:QN08-T1M");
        OcraInput input = OcraInput.builder().question("00000000").timeStep(0).build();
        assertEquals(0x132d0b6L, Ocra.verify(suite, KEY_64, input, "95209754", OtpWindow.around(0x132d0b6L + 1, 1, 1)));
        assertThrows(InvalidCodeException.class,
                () -> Ocra.verify(suite, KEY_64, input, "95209754", OtpWindow.around(0x132d0b6L + 2, 1, 1)));
    }

    @Test
    void verify_windowOnSuiteWithoutCounterOrTime_refused() {
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QN08");
        assertThrows(IllegalArgumentException.class, () -> Ocra.verify(suite, KEY_32,
                OcraInput.builder().question("00000000").build(), "237653", OtpWindow.exactly(0)));
    }

    @Test
    void challenge_eachFormat_rightLengthAndAlphabet() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String numeric = Ocra.challenge(OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QN08"));
            assertTrue(numeric.matches("[0-9]{8}"), numeric);
            String alpha = Ocra.challenge(OcraSuite.parse("OCRA-1:HOTP-SHA256-8:QA10-T1M"));
            assertTrue(alpha.matches("[0-9A-Z]{10}"), alpha);
            String hex = Ocra.challenge(OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QH64"));
            assertTrue(hex.matches("[0-9A-F]{64}"), hex);
            seen.add(numeric);
        }
        assertTrue(seen.size() > 190, "numeric challenges repeat too often: " + seen.size());
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QA08");
        assertTrue(Ocra.validChallenge(suite, Ocra.challenge(suite)));
        assertFalse(Ocra.validChallenge(suite, "ABC-1234"));
        assertFalse(Ocra.validChallenge(suite, "ABCDEFGHI"));
    }

    @Test
    void challenge_allDigitsAppear() {
        // A biased or truncated alphabet would show here long before it showed in production.
        int[] counts = new int[10];
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QN64");
        for (int i = 0; i < 100; i++) {
            for (char c : Ocra.challenge(suite).toCharArray()) {
                counts[c - '0']++;
            }
        }
        for (int count : counts) {
            assertTrue(count > 400 && count < 880, java.util.Arrays.toString(counts));
        }
    }

    @Test
    void hashPin_rfcPin_rfcHash() {
        Secret hash = Ocra.hashPin(OcraSuite.parse("OCRA-1:HOTP-SHA256-8:QN08-PSHA1"), Secret.copyOf("1234".getBytes(StandardCharsets.UTF_8)));
        assertTrue(hash.sameAs(PIN_SHA1));
    }

    @Test
    void toString_noPinHashOrKey() {
        OcraInput input = OcraInput.builder().question("12345678").pinHash(PIN_SHA1).counter(1).build();
        assertFalse(input.toString().contains("7110"), input.toString());
        assertFalse(input.toString().toLowerCase().contains("7110eda4"), input.toString());
        assertTrue(input.toString().contains("pin=yes"));
    }
}
