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

    @Test
    void open_afterRotation_oldValuesStillOpenNewOnesUseNewKey() {
        Secret secret = Secret.random(32);
        SealedValue sealedOld = Keyring.parse("k1:" + OLD, "k1").seal(secret, "test");
        Keyring rotated = Keyring.parse("k1:" + OLD + ",k2:" + NEW, "k2");
        assertTrue(rotated.open(sealedOld, "test").sameAs(secret));
        SealedValue sealedNew = rotated.seal(secret, "test");
        assertEquals("k2", sealedNew.keyId());
        assertTrue(rotated.open(SealedValue.parse(sealedNew.toText()), "test").sameAs(secret));
    }

    @Test
    void open_otherPurposeOrRetiredKey_fails() {
        Keyring ring = Keyring.parse("k1:" + OLD, "k1");
        SealedValue sealed = ring.seal(Secret.random(20), "activation-password");
        assertThrows(Aead.AeadException.class, () -> ring.open(sealed, "instance-secret"));
        assertThrows(Aead.AeadException.class, () -> Keyring.parse("k2:" + NEW, "k2").open(sealed, "activation-password"));
    }

    @Test
    void sealedText_neverContainsThePlaintext() {
        byte[] plain = "correct horse battery staple!!!!".getBytes();
        SealedValue sealed = Keyring.parse("k1:" + OLD, "k1").seal(Secret.copyOf(plain), "test");
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
    }

    @Test
    void sealedValueParse_malformed_refused() {
        for (String bad : new String[] {"", "v2.k1.AAAA", "v1.k1", "v1.k1.!!!!", "v1.k1.AAAA", "v1..AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
            assertThrows(IllegalArgumentException.class, () -> SealedValue.parse(bad), bad);
        }
    }
}
