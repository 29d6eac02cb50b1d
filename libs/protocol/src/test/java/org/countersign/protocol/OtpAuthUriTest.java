package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** The otpauth Key Uri Format for stock authenticator apps. */
class OtpAuthUriTest {

    private static final Secret KEY = Secret.copyOf(Base32.decode("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"));

    @Test
    void write_colonsInsideTheLabelParts_areEncoded() {
        String uri = OtpAuthUri.write("A:B", "c:d e", KEY, OtpPolicy.DEFAULT);
        assertEquals("otpauth://totp/A%3AB:c%3Ad%20e?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=A%3AB&algorithm=SHA1&digits=6&period=30", uri);
        OtpAuthUri parsed = OtpAuthUri.parse(uri);
        assertEquals("A:B", parsed.issuer());
        assertEquals("c:d e", parsed.account());
    }

    @Test
    void write_thenParse_sameCodes() {
        OtpPolicy policy = OtpPolicy.totp(OtpAlgorithm.SHA512, 8, 60);
        OtpAuthUri parsed = OtpAuthUri.parse(OtpAuthUri.write("Bank", "alice", KEY, policy));
        assertEquals(policy, parsed.policy());
        assertEquals(Otp.atTime(policy, KEY, 1_800_000_000L), Otp.atTime(parsed.policy(), parsed.secret(), 1_800_000_000L));
    }

    @Test
    void write_badInput_refused() {
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.write("Bank", "alice", KEY, OtpPolicy.hotp(OtpAlgorithm.SHA1, 6)));
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.write("Bank", "", KEY, OtpPolicy.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.write("", "alice", KEY, OtpPolicy.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.write("Bank", "alice", Secret.random(15), OtpPolicy.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.write("Bank", "alice", Secret.random(65), OtpPolicy.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.write("Bank", "\ud800", KEY, OtpPolicy.DEFAULT));
    }

    @Test
    void parse_noIssuerAnywhere_issuerNull() {
        OtpAuthUri parsed = OtpAuthUri.parse("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        assertNull(parsed.issuer());
        assertEquals("alice", parsed.account());
        assertEquals(OtpPolicy.DEFAULT, parsed.policy());
    }

    @Test
    void parse_brokenUris_refusedWithoutEchoingTheSecret() {
        String secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        String[] bad = {
            null, "", "otpauth://totp/alice", "otpauth://hotp/alice?secret=" + secret + "&counter=1", "otpauth://totp/?secret=" + secret,
            "otpauth://totp/alice?secret=" + secret + "&digits=06", "otpauth://totp/alice?secret=" + secret + "&period=-30",
            "otpauth://totp/alice?secret=" + secret + "&algorithm=SHA3", "otpauth://totp/alice?secret=" + secret + "&&x=1",
            "otpauth://totp/alice?secret=" + secret.substring(0, 10) + "1" + secret.substring(11),
            "otpauth://totp/A:alice?secret=" + secret + "&issuer=B", "otpauth://totp/:alice?secret=" + secret,
            "otpauth://totp/al%ZZice?secret=" + secret, "https://totp/alice?secret=" + secret,
        };
        for (String uri : bad) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> OtpAuthUri.parse(uri), String.valueOf(uri));
            assertFalse(e.getMessage().contains(secret), "the error echoes the secret");
        }
    }

    @Test
    void toString_hidesTheSecret() {
        OtpAuthUri parsed = OtpAuthUri.parse(OtpAuthUri.write("Bank", "alice", KEY, OtpPolicy.DEFAULT));
        assertFalse(parsed.toString().contains("JBSWY3DP"));
        assertTrue(parsed.toString().contains("alice"));
    }
}
