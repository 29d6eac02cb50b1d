package org.countersign.secrets;

import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A secret sealed under a key named by its id, so that keys can rotate. The text form is
 * {@code <version>.<keyId>.<base64url(sealed bytes)>}. Version {@code v2}: for a {@link Keyring}, the
 * 12-byte nonce, the AES-256-GCM ciphertext and its tag; for a {@link RecipientKey} before format
 * {@code v3}, HPKE's 32-byte encapsulated key, the ciphertext and its tag. Version {@code v3}, only to a
 * {@link RecipientKey}: HPKE's encapsulated key, a 12-byte nonce, the AES-256-GCM ciphertext and its tag
 * ({@link TransportSpan}). Nothing can be read from it without the key, and it opens only under the
 * {@link Binding} it was sealed with, so it may travel in events and rest in tables.
 *
 * <p>Format {@code v1} (before values were bound to their owner) is refused: it was a development format,
 * never released (docs/decisions.md).
 */
public record SealedValue(String version, String keyId, byte[] sealed) {

    /** The shortest sealed bytes of any scheme: a nonce and a tag around an empty plaintext. */
    static final int MIN_LENGTH = Aead.NONCE_LENGTH + Aead.TAG_LENGTH;

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    static final String VERSION = "v2";
    /** Values sealed to a {@link RecipientKey} in a span of one HPKE context. */
    static final String TRANSPORT_VERSION = "v3";
    private static final String RETIRED_VERSION = "v1";

    /** A value of version {@code v2}. */
    public SealedValue(String keyId, byte[] sealed) {
        this(VERSION, keyId, sealed);
    }

    public SealedValue {
        if (!VERSION.equals(version) && !TRANSPORT_VERSION.equals(version)) {
            throw new IllegalArgumentException("Not a sealed value");
        }
        requireKeyId(keyId);
        if (sealed == null || sealed.length < MIN_LENGTH) {
            throw new IllegalArgumentException("Not a sealed value");
        }
        sealed = sealed.clone();
    }

    /** @throws IllegalArgumentException unless {@code keyId} is 1 to 32 characters of {@code [A-Za-z0-9_-]} */
    static String requireKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("A key id is 1 to 32 characters of [A-Za-z0-9_-]");
        }
        return keyId;
    }

    @Override
    public byte[] sealed() {
        return sealed.clone();
    }

    public String toText() {
        return version + "." + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /**
     * @throws RetiredFormatException for a value of format {@code v1}
     * @throws IllegalArgumentException for anything else that is not a sealed value
     */
    public static SealedValue parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("\\.", -1);
        if (parts.length == 3 && RETIRED_VERSION.equals(parts[0])) {
            throw new RetiredFormatException();
        }
        if (parts.length != 3 || !VERSION.equals(parts[0]) && !TRANSPORT_VERSION.equals(parts[0])) {
            throw new IllegalArgumentException("Not a sealed value");
        }
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a sealed value");
        }
        return new SealedValue(parts[0], parts[1], sealed);
    }

    @Override
    public String toString() {
        return toText();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedValue that && version.equals(that.version) && keyId.equals(that.keyId)
                && Arrays.equals(sealed, that.sealed);
    }

    @Override
    public int hashCode() {
        return toText().hashCode();
    }

    /**
     * A value sealed in format {@code v1}, which bound only the purpose. It was never released: data of a
     * development installation is reset rather than converted (docs/decisions.md, "Sealed values bound to
     * their owner").
     */
    public static final class RetiredFormatException extends IllegalArgumentException {
        public RetiredFormatException() {
            super("A sealed value of format v1 (bound to its purpose only) is no longer opened: values are now v2,"
                    + " bound to their owner too. Development data sealed before that has to be reset"
                    + " (docs/decisions.md, \"Sealed values bound to their owner\")");
        }
    }
}
