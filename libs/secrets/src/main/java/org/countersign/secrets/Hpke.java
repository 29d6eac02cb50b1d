package org.countersign.secrets;

import java.util.Arrays;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;

/**
 * HPKE (RFC 9180) in base mode with the suite of its Appendix A.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
 * AES-128-GCM, by BouncyCastle. {@link #seal} and {@link #open}: one message per context (sequence
 * number 0), written as {@code enc ‖ ciphertext ‖ tag}. {@link #sender} and {@link #receiver}: a context
 * whose secrets are exported ({@link TransportSpan}).
 */
final class Hpke {

    /** X25519 keys, private and public, and the encapsulated key {@code enc}: 32 bytes each. */
    static final int KEY_LENGTH = 32;

    private Hpke() {
    }

    private static HPKE suite() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
    }

    /** Seals to {@code publicKey} under a fresh ephemeral key, one value a context: format {@code v2}, which only tests still write. */
    static byte[] seal(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext) {
        return seal(publicKey, info, aad, plaintext, null);
    }

    /** Seals to {@code publicKey} under the ephemeral key given: only known-answer tests name one. */
    static byte[] seal(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext, AsymmetricCipherKeyPair ephemeral) {
        try {
            HPKEContextWithEncapsulation context = sender(publicKey, info, ephemeral);
            byte[] enc = context.getEncapsulation();
            byte[] ciphertext = context.seal(aad, plaintext);
            byte[] sealed = Arrays.copyOf(enc, enc.length + ciphertext.length);
            System.arraycopy(ciphertext, 0, sealed, enc.length, ciphertext.length);
            return sealed;
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("HPKE sealing failed", e);
        }
    }

    /** @throws Aead.AeadException when the value does not open with this key, info and aad */
    static byte[] open(AsymmetricCipherKeyPair recipient, byte[] info, byte[] aad, byte[] sealed) {
        if (sealed.length < KEY_LENGTH + Aead.TAG_LENGTH) {
            throw new Aead.AeadException();
        }
        try {
            return suite().setupBaseR(Arrays.copyOf(sealed, KEY_LENGTH), recipient, info)
                    .open(aad, Arrays.copyOfRange(sealed, KEY_LENGTH, sealed.length));
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new Aead.AeadException();
        }
    }

    /** A sender's context to {@code publicKey} under a fresh ephemeral key (or the one given: known-answer tests only). */
    static HPKEContextWithEncapsulation sender(byte[] publicKey, byte[] info, AsymmetricCipherKeyPair ephemeral) {
        HPKE suite = suite();
        return suite.setupBaseS(suite.deserializePublicKey(publicKey), info,
                ephemeral != null ? ephemeral : suite.generatePrivateKey());
    }

    /** The recipient's side of the context a sender set up with {@code enc}. @throws Aead.AeadException when {@code enc} is no key */
    static HPKEContext receiver(AsymmetricCipherKeyPair recipient, byte[] enc, byte[] info) {
        try {
            return suite().setupBaseR(enc, recipient, info);
        } catch (RuntimeException e) {
            throw new Aead.AeadException();
        }
    }

    /** The key pair of a 32-byte X25519 private key. */
    static AsymmetricCipherKeyPair keyPair(byte[] privateKey) {
        return suite().deserializePrivateKey(privateKey, null);
    }

    /** A key pair from input keying material, RFC 9180's DeriveKeyPair: for known-answer tests. */
    static AsymmetricCipherKeyPair deriveKeyPair(byte[] ikm) {
        return suite().deriveKeyPair(ikm);
    }

    static byte[] publicKey(AsymmetricCipherKeyPair pair) {
        return suite().serializePublicKey(pair.getPublic());
    }

    static byte[] privateKey(AsymmetricCipherKeyPair pair) {
        return suite().serializePrivateKey(pair.getPrivate());
    }

    static byte[] newPrivateKey() {
        return privateKey(suite().generatePrivateKey());
    }
}
