package org.countersign.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Binding;
import org.countersign.secrets.Keyring;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * The simulated device's key store: one AES-256 key in a file of its own, beside the profile file
 * ({@code profiles.json.key}, permissions 600), under which every secret in the profile file is
 * sealed with libs/secrets' {@link Keyring} (AES-256-GCM, a key id, purpose and owner in the AAD). So
 * the profile file alone (a copy, a backup, a screen share, a {@code grep}) gives away no activation
 * password, device code, instance secret or private key; a real device keeps this key in its
 * secure element or platform key store.
 *
 * <p>Each secret is sealed for the purpose {@code device-profile/<field>} and the owner {@code profile|<name>},
 * so a value moved to another profile or field does not open.
 */
final class ProfileKey {

    static final String KEY_ID = "device-1";
    private static final String PURPOSE = "device-profile/";

    private final Keyring keyring;

    private ProfileKey(Keyring keyring) {
        this.keyring = keyring;
    }

    /** The key file that goes with {@code profileFile}. */
    static Path fileFor(Path profileFile) {
        return profileFile.resolveSibling(profileFile.getFileName() + ".key");
    }

    /** @return the key, or null when its file does not exist */
    static ProfileKey read(Path keyFile) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(keyFile);
        } catch (NoSuchFileException e) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        Arrays.fill(bytes, (byte) 0);
        try {
            return new ProfileKey(Keyring.parse(text, KEY_ID));
        } catch (IllegalArgumentException e) {
            throw new IOException("the key file " + keyFile + " is damaged (" + e.getMessage() + ")");
        }
    }

    /** The content of a new key file: a fresh random key, in {@link Keyring#parse}'s form. The caller wipes it. */
    static byte[] newKeyFile() {
        Secret key = Secret.random(Aead.KEY_LENGTH);
        byte[] raw = key.reveal();
        try {
            return (KEY_ID + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n").getBytes(StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(raw, (byte) 0);
            key.destroy();
        }
    }

    String seal(Secret secret, String profile, String field) {
        return keyring.seal(secret, binding(profile, field)).toText();
    }

    /** @throws IllegalArgumentException when the text is not a sealed value, or does not open under this key for that purpose */
    Secret open(String sealed, String profile, String field) {
        try {
            return keyring.open(SealedValue.parse(sealed), binding(profile, field));
        } catch (Aead.AeadException e) {
            throw new IllegalArgumentException(field + " of profile " + profile + " does not open with the key file "
                    + "(another device's key file, or a value moved from elsewhere)");
        }
    }

    private static Binding binding(String profile, String field) {
        return Binding.of(PURPOSE + field, "profile", profile);
    }

    @Override
    public String toString() {
        return "ProfileKey[" + KEY_ID + "]";
    }
}
