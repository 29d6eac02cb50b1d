package org.countersign.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Sealing to a service's public key (HPKE) and opening with its private key ring. */
class RecipientKeyringTest {

    private static final Binding IS_OF_I1 = Binding.of("instance-secret", "instance", "bank.example", "alice", "i-1");

    private static final String OTP_OLD = RecipientKeyring.generateKeyText("otp-1");
    private static final String OTP_NEW = RecipientKeyring.generateKeyText("otp-2");
    private static final String PROVISIONING = RecipientKeyring.generateKeyText("prov-1");

    @Test
    void seal_toOnePublicKey_opensOnlyWithItsPrivateRing() {
        RecipientKeyring otp = RecipientKeyring.parse(OTP_OLD);
        RecipientKeyring provisioning = RecipientKeyring.parse(PROVISIONING);
        Secret secret = Secret.random(32);
        SealedValue sealed = RecipientKey.parse(otp.publicKeyText("otp-1")).seal(secret, IS_OF_I1);
        assertEquals("otp-1", sealed.keyId());
        assertTrue(otp.open(SealedValue.parse(sealed.toText()), IS_OF_I1).sameAs(secret));
        // Another service's ring has no key of that id, and with the id renamed its key still does not open it.
        assertThrows(Aead.AeadException.class, () -> provisioning.open(sealed, IS_OF_I1));
        SealedValue renamed = new SealedValue(sealed.version(), "prov-1", sealed.sealed());
        assertThrows(Aead.AeadException.class, () -> provisioning.open(renamed, IS_OF_I1));
    }

    @Test
    void open_otherOwnerOrPurpose_fails() {
        RecipientKeyring otp = RecipientKeyring.parse(OTP_OLD);
        SealedValue sealed = RecipientKey.parse(otp.publicKeyText("otp-1")).seal(Secret.random(32), IS_OF_I1);
        assertThrows(Aead.AeadException.class, () -> otp.open(sealed,
                Binding.of("instance-secret", "instance", "bank.example", "alice", "i-2")));
        assertThrows(Aead.AeadException.class, () -> otp.open(sealed,
                Binding.of("instance-secret", "instance", "bank.example", "mallory", "i-1")));
        assertThrows(Aead.AeadException.class, () -> otp.open(sealed, Binding.of("otp-key", "instance", "bank.example", "alice", "i-1")));
    }

    @Test
    void rotation_oldKeyStillOpens_producerSealsToTheCurrentOne() {
        Secret secret = Secret.random(16);
        SealedValue beforeRotation = RecipientKey.parse(RecipientKeyring.parse(OTP_OLD).publicKeyText("otp-1")).seal(secret, IS_OF_I1);
        // Step 1: the recipient adds its new key; step 2: producers are given its public half.
        RecipientKeyring rotated = RecipientKeyring.parse(OTP_OLD + "," + OTP_NEW);
        SealedValue afterRotation = RecipientKey.parse(rotated.publicKeyText("otp-2")).seal(secret, IS_OF_I1);
        assertEquals("otp-2", afterRotation.keyId());
        assertTrue(rotated.open(beforeRotation, IS_OF_I1).sameAs(secret));
        assertTrue(rotated.open(afterRotation, IS_OF_I1).sameAs(secret));
        // Step 3: once the topics have aged out, the old key goes, and with it what was sealed to it.
        RecipientKeyring retired = RecipientKeyring.parse(OTP_NEW);
        assertThrows(Aead.AeadException.class, () -> retired.open(beforeRotation, IS_OF_I1));
        assertTrue(retired.open(afterRotation, IS_OF_I1).sameAs(secret));
    }

    @Test
    void seal_sameSecretTwice_differentValues_andNoKeyInText() {
        RecipientKeyring otp = RecipientKeyring.parse(OTP_OLD);
        RecipientKey key = RecipientKey.parse(otp.publicKeyText("otp-1"));
        Secret secret = Secret.random(32);
        assertFalse(key.seal(secret, IS_OF_I1).equals(key.seal(secret, IS_OF_I1)));
        assertFalse(otp.toString().contains(OTP_OLD.substring(6)));
        assertFalse(key.toString().contains(otp.publicKeyText("otp-1").substring(6)));
    }

    @Test
    void parse_badConfiguration_failsClearly() {
        assertThrows(IllegalArgumentException.class, () -> RecipientKeyring.parse(""));
        assertThrows(IllegalArgumentException.class, () -> RecipientKeyring.parse("k1:AAAA"));
        assertThrows(IllegalArgumentException.class, () -> RecipientKey.parse(OTP_OLD + "," + OTP_NEW));
        assertThrows(IllegalArgumentException.class, () -> RecipientKeyring.parse(OTP_OLD).publicKeyText("otp-2"));
    }

    @Test
    void seal_formatV3_valuesOfASpanShareOneContext_eachOpensAlone() {
        RecipientKeyring otp = RecipientKeyring.parse(OTP_OLD);
        RecipientKey key = RecipientKey.parse(otp.publicKeyText("otp-1"), () -> 0);
        Secret first = Secret.random(32);
        Secret second = Secret.random(32);
        Binding ofI2 = Binding.of("instance-secret", "instance", "bank.example", "alice", "i-2");
        SealedValue a = key.seal(first, IS_OF_I1);
        SealedValue b = key.seal(second, ofI2);
        assertEquals("v3", a.version());
        assertTrue(a.toText().startsWith("v3.otp-1."), a.toText());
        assertArrayEquals(enc(a), enc(b), "one enc for the span");
        assertFalse(Arrays.equals(Arrays.copyOfRange(a.sealed(), 32, 44), Arrays.copyOfRange(b.sealed(), 32, 44)), "a nonce each");
        // Opened in either order, each by a ring that has not seen the span yet, and under its own binding only.
        assertTrue(RecipientKeyring.parse(OTP_OLD).open(b, ofI2).sameAs(second));
        assertTrue(otp.open(a, IS_OF_I1).sameAs(first));
        assertTrue(otp.open(b, ofI2).sameAs(second));
        assertThrows(Aead.AeadException.class, () -> otp.open(b, IS_OF_I1));
        assertThrows(Aead.AeadException.class, () -> otp.open(new SealedValue("otp-1", a.sealed()), IS_OF_I1), "not as v2");
        assertThrows(Aead.AeadException.class, () -> Keyring.of("otp-1", Secret.random(32)).open(a, IS_OF_I1),
                "an at-rest ring opens no v3 value");
    }

    @Test
    void v3_anyByteChanged_doesNotOpen() {
        RecipientKeyring otp = RecipientKeyring.parse(OTP_OLD);
        SealedValue sealed = RecipientKey.parse(otp.publicKeyText("otp-1")).seal(Secret.random(20), IS_OF_I1);
        byte[] bytes = sealed.sealed();
        for (int i : new int[] {0, 31, 32, 43, 44, bytes.length - 1}) {
            byte[] changed = bytes.clone();
            changed[i] ^= 1;
            assertThrows(Aead.AeadException.class, () -> otp.open(new SealedValue("v3", "otp-1", changed), IS_OF_I1), "byte " + i);
        }
        assertThrows(Aead.AeadException.class, () -> otp.open(new SealedValue("v3", "otp-1", Arrays.copyOf(bytes, 59)), IS_OF_I1));
        assertTrue(otp.open(sealed, IS_OF_I1).length() == 20);
    }

    @Test
    void span_endsAfterItsValuesOrItsTime() {
        long[] now = {0};
        RecipientKey key = RecipientKey.parse(RecipientKeyring.parse(OTP_OLD).publicKeyText("otp-1"), () -> now[0]);
        byte[] firstEnc = enc(key.seal(Secret.random(16), IS_OF_I1));
        for (int i = 1; i < TransportSpan.MAX_VALUES; i++) {
            assertArrayEquals(firstEnc, enc(key.seal(Secret.random(16), IS_OF_I1)), "value " + i);
        }
        byte[] second = enc(key.seal(Secret.random(16), IS_OF_I1));
        assertFalse(Arrays.equals(firstEnc, second), "the value after MAX_VALUES opens a new span");
        now[0] += TransportSpan.MAX_AGE_NANOS - 1;
        assertArrayEquals(second, enc(key.seal(Secret.random(16), IS_OF_I1)));
        now[0] += 1;
        assertFalse(Arrays.equals(second, enc(key.seal(Secret.random(16), IS_OF_I1))), "a span lasts MAX_AGE at most");
    }

    private static byte[] enc(SealedValue sealed) {
        return Arrays.copyOf(sealed.sealed(), 32);
    }

    @Test
    void v2Values_fromBeforeV3_stillOpen() {
        RecipientKeyring otp = RecipientKeyring.parse(OTP_OLD);
        byte[] publicKey = java.util.Base64.getDecoder().decode(otp.publicKeyText("otp-1").substring("otp-1:".length()));
        byte[] plaintext = {1, 2, 3, 4};
        SealedValue v2 = new SealedValue("otp-1", Hpke.seal(publicKey, IS_OF_I1.bytes(RecipientKeyring.LABEL), new byte[0], plaintext));
        assertArrayEquals(plaintext, otp.open(SealedValue.parse(v2.toText()), IS_OF_I1).reveal());
    }
}
