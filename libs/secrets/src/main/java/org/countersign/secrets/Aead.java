package org.countersign.secrets;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a 12-byte nonce and a 16-byte tag appended to the ciphertext, as protocol.md
 * defines AEAD. Opening fails with one generic exception whatever went wrong.
 */
public final class Aead {

    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private final Secret key;

    private Aead(Secret key) {
        this.key = key;
    }

    public static Aead aes256Gcm(Secret key) {
        if (key.length() != KEY_LENGTH) {
            throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key, not " + key.length());
        }
        return new Aead(key);
    }

    /** @return the ciphertext with the tag appended */
    public byte[] seal(byte[] nonce, byte[] plaintext, byte[] aad) {
        return run(Cipher.ENCRYPT_MODE, nonce, plaintext, aad);
    }

    /** @throws AeadException when the tag does not verify (wrong key, nonce, AAD or tampered data) */
    public byte[] open(byte[] nonce, byte[] ciphertext, byte[] aad) {
        if (ciphertext.length < TAG_LENGTH) {
            throw new AeadException();
        }
        return run(Cipher.DECRYPT_MODE, nonce, ciphertext, aad);
    }

    private byte[] run(int mode, byte[] nonce, byte[] input, byte[] aad) {
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("The nonce has 12 bytes, not " + nonce.length);
        }
        byte[] keyBytes = key.reveal();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(keyBytes, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            if (aad != null) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new AeadException();
        } catch (GeneralSecurityException e) {
            if (mode == Cipher.DECRYPT_MODE) {
                throw new AeadException();
            }
            throw new IllegalStateException("AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    /** Opening failed. Deliberately says nothing about why. */
    public static final class AeadException extends RuntimeException {
        public AeadException() {
            super("decryption failed", null, false, false);
        }
    }
}
