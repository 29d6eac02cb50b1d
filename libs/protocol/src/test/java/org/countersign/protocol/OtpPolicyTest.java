package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtpPolicyTest {

    @Test
    void parse_everyValidForm_roundTripsExactly() {
        List<String> valid = new ArrayList<>();
        for (String alg : new String[] {"sha1", "sha256", "sha512"}) {
            for (int digits = 6; digits <= 8; digits++) {
                valid.add("hotp:" + alg + ":" + digits);
                for (String period : new String[] {"1", "30", "60", "2147483647"}) {
                    valid.add("totp:" + alg + ":" + digits + ":" + period);
                }
            }
        }
        for (String text : valid) {
            OtpPolicy policy = OtpPolicy.parse(text);
            assertEquals(text, policy.format());
            assertEquals(text, policy.toString());
            assertEquals(policy, OtpPolicy.parse(policy.format()));
        }
    }

    @Test
    void parse_totp_fieldsAndKeyLength() {
        OtpPolicy policy = OtpPolicy.parse("totp:sha256:7:45");
        assertEquals(OtpPolicy.Kind.TOTP, policy.kind());
        assertEquals(OtpAlgorithm.SHA256, policy.algorithm());
        assertEquals(7, policy.digits());
        assertEquals(45, policy.periodSeconds());
        assertEquals(32, policy.keyLength());
        assertEquals(20, OtpPolicy.parse("hotp:sha1:6").keyLength());
        assertEquals(64, OtpPolicy.parse("hotp:sha512:8").keyLength());
    }

    @Test
    void parse_hotp_hasNoPeriod() {
        OtpPolicy policy = OtpPolicy.parse("hotp:sha512:8");
        assertEquals(OtpPolicy.Kind.HOTP, policy.kind());
        assertThrows(IllegalStateException.class, policy::periodSeconds);
        assertThrows(IllegalStateException.class, () -> policy.timeStep(59));
    }

    @Test
    void default_isTotpSha1SixDigitsThirtySeconds() {
        assertEquals("totp:sha1:6:30", OtpPolicy.DEFAULT.format());
        assertEquals(OtpPolicy.DEFAULT, OtpPolicy.parse("totp:sha1:6:30"));
    }

    @Test
    void parse_anythingElse_refused() {
        String[] refused = {
            "TOTP:sha1:6:30", "totp:SHA1:6:30", "Totp:sha1:6:30", "totp:sha1:6:030", "totp:sha1:6:0",
            "totp:sha1:6:-30", "totp:sha1:6:+30", "totp:sha1:9:30", "totp:sha1:5:30", "totp:sha1:06:30",
            "totp:md5:6:30", "totp:sha224:6:30", "hotp:sha1:6:30", "hotp:sha1", "totp:sha1:6", "totp:sha1:6:30:",
            " totp:sha1:6:30", "totp:sha1:6:30 ", "totp:sha1:6:30\n", "totp:sha1:6:3 0", "totp:sha1:6:1e3",
            "totp:sha1:6:2147483648", "totp:sha1:6:99999999999", "totp:sha1:6:３０", "hotp:sha1:6:", "", "totp",
        };
        for (String text : refused) {
            assertThrows(IllegalArgumentException.class, () -> OtpPolicy.parse(text), text);
        }
        assertThrows(IllegalArgumentException.class, () -> OtpPolicy.parse(null));
    }

    @Test
    void factories_badValues_refused() {
        assertThrows(IllegalArgumentException.class, () -> OtpPolicy.totp(OtpAlgorithm.SHA1, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> OtpPolicy.totp(OtpAlgorithm.SHA1, 9, 30));
        assertThrows(IllegalArgumentException.class, () -> OtpPolicy.hotp(OtpAlgorithm.SHA1, 5));
        assertThrows(NullPointerException.class, () -> OtpPolicy.hotp(null, 6));
    }

    @Test
    void equals_differentFields_notEqual() {
        OtpPolicy base = OtpPolicy.parse("totp:sha1:6:30");
        assertEquals(base.hashCode(), OtpPolicy.totp(OtpAlgorithm.SHA1, 6, 30).hashCode());
        assertNotEquals(base, OtpPolicy.parse("totp:sha1:6:60"));
        assertNotEquals(base, OtpPolicy.parse("totp:sha1:7:30"));
        assertNotEquals(base, OtpPolicy.parse("totp:sha256:6:30"));
        assertNotEquals(OtpPolicy.parse("hotp:sha1:6"), OtpPolicy.parse("totp:sha1:6:30"));
    }

    @Test
    void timeStep_unixTime_floorDividedByPeriod() {
        OtpPolicy policy = OtpPolicy.parse("totp:sha1:6:30");
        assertEquals(0, policy.timeStep(0));
        assertEquals(0, policy.timeStep(29));
        assertEquals(1, policy.timeStep(30));
        assertEquals(-1, policy.timeStep(-1));
    }

    @Test
    void wellFormed_onlyExactlyDigitsAsciiDigits() {
        OtpPolicy policy = OtpPolicy.parse("totp:sha1:6:30");
        assertTrue(policy.wellFormed("012345"));
        assertFalse(policy.wellFormed("12345"));
        assertFalse(policy.wellFormed("1234567"));
        assertFalse(policy.wellFormed("12345a"));
        assertFalse(policy.wellFormed("12 345"));
        assertFalse(policy.wellFormed("١٢٣٤٥٦"));
        assertFalse(policy.wellFormed("１２３４５６"));
        assertFalse(policy.wellFormed(null));
    }
}
