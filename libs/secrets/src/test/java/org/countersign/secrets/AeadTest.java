package org.countersign.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known answers from "The Galois/Counter Mode of Operation (GCM)", McGrew and Viega, 2005,
 * Appendix B, test cases 13 to 16 (AES-256).
 */
class AeadTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void seal_gcmSpecCase13_emptyPlaintext() {
        Aead aead = Aead.aes256Gcm(Secret.copyOf(new byte[32]));
        assertEquals("530f8afbc74536b9a963b4f1c4cb738b", HEX.formatHex(aead.seal(new byte[12], new byte[0], null)));
    }

    @Test
    void seal_gcmSpecCase14_zeroBlock() {
        Aead aead = Aead.aes256Gcm(Secret.copyOf(new byte[32]));
        assertEquals("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919",
                HEX.formatHex(aead.seal(new byte[12], new byte[16], null)));
    }

    @Test
    void seal_gcmSpecCase16_withAad() {
        Aead aead = Aead.aes256Gcm(Secret.copyOf(HEX.parseHex(
                "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")));
        byte[] nonce = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] plaintext = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] sealed = aead.seal(nonce, plaintext, aad);
        assertEquals("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                + "76fc6ece0f4e1768cddf8853bb2d551b", HEX.formatHex(sealed));
        assertArrayEquals(plaintext, aead.open(nonce, sealed, aad));
    }

    @Test
    void open_anyBitFlipped_failsWithoutSayingWhy() {
        Aead aead = Aead.aes256Gcm(Secret.random(32));
        byte[] nonce = Randomness.bytes(12);
        byte[] sealed = aead.seal(nonce, "secret".getBytes(), "aad".getBytes());
        for (int i = 0; i < sealed.length * 8; i++) {
            byte[] tampered = sealed.clone();
            tampered[i / 8] ^= (byte) (1 << (i % 8));
            Aead.AeadException e = assertThrows(Aead.AeadException.class, () -> aead.open(nonce, tampered, "aad".getBytes()));
            assertEquals("decryption failed", e.getMessage());
        }
        assertThrows(Aead.AeadException.class, () -> aead.open(nonce, sealed, "other".getBytes()));
        assertThrows(Aead.AeadException.class, () -> aead.open(nonce, new byte[3], null));
    }

    @Test
    void aes256Gcm_wrongKeyLength_fails() {
        assertThrows(IllegalArgumentException.class, () -> Aead.aes256Gcm(Secret.random(16)));
    }
}
