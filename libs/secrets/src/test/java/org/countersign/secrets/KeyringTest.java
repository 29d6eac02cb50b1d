package org.countersign.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyringTest {

    private static final String OLD = Base64.getEncoder().encodeToString(Randomness.bytes(32));
    private static final String NEW = Base64.getEncoder().encodeToString(Randomness.bytes(32));
    private static final Binding TEST = Binding.of("test", "row", "1");

    @Test
    void open_afterRotation_oldValuesStillOpenNewOnesUseNewKey() {
        Secret secret = Secret.random(32);
        SealedValue sealedOld = Keyring.parse("k1:" + OLD, "k1").seal(secret, TEST);
        Keyring rotated = Keyring.parse("k1:" + OLD + ",k2:" + NEW, "k2");
        assertTrue(rotated.open(sealedOld, TEST).sameAs(secret));
        SealedValue sealedNew = rotated.seal(secret, TEST);
        assertEquals("k2", sealedNew.keyId());
        assertTrue(rotated.open(SealedValue.parse(sealedNew.toText()), TEST).sameAs(secret));
    }

    @Test
    void open_otherPurposeOrRetiredKey_fails() {
        Keyring ring = Keyring.parse("k1:" + OLD, "k1");
        SealedValue sealed = ring.seal(Secret.random(20), Binding.of("activation-password", "registration", "r1"));
        assertThrows(Aead.AeadException.class, () -> ring.open(sealed, Binding.of("instance-secret", "registration", "r1")));
        assertThrows(Aead.AeadException.class, () -> Keyring.parse("k2:" + NEW, "k2").open(sealed,
                Binding.of("activation-password", "registration", "r1")));
    }

    @Test
    void open_valueMovedToAnotherOwner_fails() {
        Keyring ring = Keyring.parse("k1:" + OLD, "k1");
        Secret secret = Secret.random(20);
        SealedValue sealed = ring.seal(secret, Binding.of("otp-key", "credential", "a"));
        assertTrue(ring.open(sealed, Binding.of("otp-key", "credential", "a")).sameAs(secret));
        assertThrows(Aead.AeadException.class, () -> ring.open(sealed, Binding.of("otp-key", "credential", "b")));
        assertThrows(Aead.AeadException.class, () -> ring.open(sealed, Binding.of("otp-key", "credential", "a", "x")));
    }

    @Test
    void sealedText_neverContainsThePlaintext() {
        byte[] plain = "correct horse battery staple!!!!".getBytes();
        SealedValue sealed = Keyring.parse("k1:" + OLD, "k1").seal(Secret.copyOf(plain), TEST);
        assertTrue(sealed.toText().startsWith("v2.k1."), sealed.toText());
        assertFalse(sealed.toText().contains(Base64.getUrlEncoder().withoutPadding().encodeToString(plain)));
        assertFalse(Keyring.parse("k1:" + OLD, "k1").toString().contains(OLD));
    }

    @Test
    void parse_badConfiguration_failsClearly() {
        assertThrows(IllegalArgumentException.class, () -> Keyring.parse("", "k1"));
        assertThrows(IllegalArgumentException.class, () -> Keyring.parse("k1:" + OLD, "k2"));
        assertThrows(IllegalArgumentException.class, () -> Keyring.parse("k1:" + Base64.getEncoder().encodeToString(new byte[16]), "k1"));
        assertThrows(IllegalArgumentException.class, () -> Keyring.parse("k1=" + OLD, "k1"));
        assertThrows(IllegalArgumentException.class, () -> Keyring.parse("bad id!:" + OLD, "bad id!"));
        assertThrows(IllegalArgumentException.class, () -> Keyring.parse("k1:" + OLD + ",k1:" + NEW, "k1"));
    }

    @Test
    void generateKeyText_isAKeyTheRingReads() {
        String text = Keyring.generateKeyText("fresh");
        Keyring ring = Keyring.parse(text, "fresh");
        assertTrue(ring.open(ring.seal(Secret.copyOf(new byte[] {7}), TEST), TEST).sameAs(Secret.copyOf(new byte[] {7})));
        assertFalse(text.equals(Keyring.generateKeyText("fresh")));
    }
}
