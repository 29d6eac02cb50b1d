package org.countersign.secrets;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Symmetric sealing keys by id (AES-256-GCM): new values are sealed under the current key, and any key
 * still in the ring opens what it sealed, so that keys rotate without re-sealing everything at once. The
 * {@link Binding} (purpose and owner) is the AAD, so a value sealed for one use or one owner cannot be
 * opened as another.
 */
public final class Keyring implements Sealer, Opener {

    private static final String LABEL = "countersign/v2/sealed";

    private final Map<String, Aead> keys;
    private final String currentKeyId;

    private Keyring(Map<String, Aead> keys, String currentKeyId) {
        this.keys = keys;
        this.currentKeyId = currentKeyId;
    }

    /**
     * Parses {@code kid1:base64key,kid2:base64key} (standard or URL-safe base64 of 32 bytes), the form
     * the configuration carries.
     */
    public static Keyring parse(String keys, String currentKeyId) {
        Map<String, byte[]> parsed = KeyText.parse(keys, Aead.KEY_LENGTH, "sealing key");
        try {
            if (!parsed.containsKey(currentKeyId)) {
                throw new IllegalArgumentException("The current sealing key id '" + currentKeyId + "' is not among the keys");
            }
            Map<String, Aead> ring = new LinkedHashMap<>();
            parsed.forEach((keyId, bytes) -> ring.put(keyId, Aead.aes256Gcm(Secret.copyOf(bytes))));
            return new Keyring(ring, currentKeyId);
        } finally {
            KeyText.wipe(parsed);
        }
    }

    /** A ring of one key, for a key derived at run time rather than configured; the ring holds {@code key}. */
    public static Keyring of(String keyId, Secret key) {
        return new Keyring(Map.of(SealedValue.requireKeyId(keyId), Aead.aes256Gcm(key)), keyId);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** Whether a value sealed under {@code keyId} can be opened here. */
    public boolean knows(String keyId) {
        return keys.containsKey(keyId);
    }

    /**
     * A fresh random key in {@link #parse}'s form, {@code keyId:base64}, for tools that write configuration
     * (the launcher, the test resource). It is a secret: write it where keys belong, never to a log.
     */
    public static String generateKeyText(String keyId) {
        byte[] key = Randomness.bytes(Aead.KEY_LENGTH);
        try {
            return KeyText.format(keyId, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public SealedValue seal(Secret secret, Binding binding) {
        byte[] nonce = Randomness.bytes(Aead.NONCE_LENGTH);
        byte[] plaintext = secret.reveal();
        try {
            byte[] ciphertext = keys.get(currentKeyId).seal(nonce, plaintext, binding.bytes(LABEL));
            byte[] sealed = new byte[nonce.length + ciphertext.length];
            System.arraycopy(nonce, 0, sealed, 0, nonce.length);
            System.arraycopy(ciphertext, 0, sealed, nonce.length, ciphertext.length);
            return new SealedValue(currentKeyId, sealed);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** @throws Aead.AeadException when the key is unknown or the value was not sealed under this binding */
    @Override
    public Secret open(SealedValue sealed, Binding binding) {
        Aead aead = keys.get(sealed.keyId());
        if (aead == null || !SealedValue.VERSION.equals(sealed.version())) {
            throw new Aead.AeadException();
        }
        byte[] bytes = sealed.sealed();
        return Secret.wipingCopyOf(aead.open(Arrays.copyOfRange(bytes, 0, Aead.NONCE_LENGTH),
                Arrays.copyOfRange(bytes, Aead.NONCE_LENGTH, bytes.length), binding.bytes(LABEL)));
    }

    @Override
    public String toString() {
        return "Keyring[current=" + currentKeyId + ", ids=" + keys.keySet() + "]";
    }
}
