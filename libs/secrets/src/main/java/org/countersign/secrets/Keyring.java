package org.countersign.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sealing keys by id: new values are sealed under the current key, and any key still in the ring
 * opens what it sealed, so that keys rotate without re-sealing everything at once. The purpose is
 * bound into the AAD, so a value sealed for one use cannot be opened as another.
 */
public final class Keyring {

    private static final String AAD_PREFIX = "countersign/v1/sealed|";

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
        if (keys == null || keys.isBlank()) {
            throw new IllegalArgumentException("No sealing keys are configured");
        }
        Map<String, Aead> ring = new LinkedHashMap<>();
        for (String entry : keys.split(",")) {
            String[] parts = entry.trim().split(":", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("A sealing key is written keyId:base64 (32 bytes)");
            }
            byte[] bytes;
            try {
                String text = parts[1].trim();
                bytes = text.contains("-") || text.contains("_") ? Base64.getUrlDecoder().decode(text)
                        : Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The sealing key '" + parts[0].trim() + "' is not base64");
            }
            if (bytes.length != Aead.KEY_LENGTH) {
                throw new IllegalArgumentException("The sealing key '" + parts[0].trim() + "' must have 32 bytes, not " + bytes.length);
            }
            new SealedValue(parts[0].trim(), new byte[Aead.NONCE_LENGTH], new byte[Aead.TAG_LENGTH]);
            ring.put(parts[0].trim(), Aead.aes256Gcm(Secret.copyOf(bytes)));
            java.util.Arrays.fill(bytes, (byte) 0);
        }
        if (!ring.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("The current sealing key id '" + currentKeyId + "' is not among the keys");
        }
        return new Keyring(ring, currentKeyId);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** Whether a value sealed under {@code keyId} can be opened here. */
    public boolean knows(String keyId) {
        return keys.containsKey(keyId);
    }

    public SealedValue seal(Secret secret, String purpose) {
        byte[] nonce = Randomness.bytes(Aead.NONCE_LENGTH);
        byte[] plaintext = secret.reveal();
        try {
            return new SealedValue(currentKeyId, nonce, keys.get(currentKeyId).seal(nonce, plaintext, aad(purpose)));
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** @throws Aead.AeadException when the key is unknown or the value was not sealed for this purpose */
    public Secret open(SealedValue sealed, String purpose) {
        Aead aead = keys.get(sealed.keyId());
        if (aead == null) {
            throw new Aead.AeadException();
        }
        byte[] plaintext = aead.open(sealed.nonce(), sealed.ciphertext(), aad(purpose));
        try {
            return Secret.copyOf(plaintext);
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static byte[] aad(String purpose) {
        return (AAD_PREFIX + purpose).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Keyring[current=" + currentKeyId + ", ids=" + keys.keySet() + "]";
    }
}
