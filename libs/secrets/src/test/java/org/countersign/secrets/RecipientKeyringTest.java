package org.countersign.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        SealedValue renamed = new SealedValue("prov-1", sealed.sealed());
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
}
