package org.countersign.secrets;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A secret sealed with AES-256-GCM under a key named by its id, so that keys can rotate: the text
 * form is {@code v1.<keyId>.<base64url(nonce ‖ ciphertext ‖ tag)>}. Nothing can be read from it
 * without the key, so it may travel in events and rest in tables.
 */
public record SealedValue(String keyId, byte[] nonce, byte[] ciphertext) {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final String VERSION = "v1";

    public SealedValue {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("A key id is 1 to 32 characters of [A-Za-z0-9_-]");
        }
        if (nonce == null || nonce.length != Aead.NONCE_LENGTH || ciphertext == null || ciphertext.length < Aead.TAG_LENGTH) {
            throw new IllegalArgumentException("Not a sealed value");
        }
        nonce = nonce.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public String toText() {
        byte[] joined = new byte[nonce.length + ciphertext.length];
        System.arraycopy(nonce, 0, joined, 0, nonce.length);
        System.arraycopy(ciphertext, 0, joined, nonce.length, ciphertext.length);
        return VERSION + "." + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(joined);
    }

    public static SealedValue parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new IllegalArgumentException("Not a sealed value");
        }
        byte[] joined;
        try {
            joined = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a sealed value");
        }
        if (joined.length < Aead.NONCE_LENGTH + Aead.TAG_LENGTH) {
            throw new IllegalArgumentException("Not a sealed value");
        }
        byte[] nonce = java.util.Arrays.copyOfRange(joined, 0, Aead.NONCE_LENGTH);
        byte[] ciphertext = java.util.Arrays.copyOfRange(joined, Aead.NONCE_LENGTH, joined.length);
        return new SealedValue(parts[1], nonce, ciphertext);
    }

    @Override
    public String toString() {
        return toText();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedValue that && toText().equals(that.toText());
    }

    @Override
    public int hashCode() {
        return toText().hashCode();
    }
}
