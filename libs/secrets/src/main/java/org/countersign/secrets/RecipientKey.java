package org.countersign.secrets;

import java.util.Arrays;
import java.util.Map;

/**
 * Another service's public X25519 key, with its id: values sealed to it with HPKE open only with the
 * matching private key of that service's {@link RecipientKeyring}, so the producer itself cannot open
 * them again, and neither can any other service. The {@link Binding} is HPKE's {@code info}.
 */
public final class RecipientKey implements Sealer {

    private final String keyId;
    private final byte[] publicKey;

    private RecipientKey(String keyId, byte[] publicKey) {
        this.keyId = keyId;
        this.publicKey = publicKey;
    }

    /** Parses {@code kid:base64} of a 32-byte X25519 public key (one key: the one to seal to now). */
    public static RecipientKey parse(String text) {
        Map<String, byte[]> parsed = KeyText.parse(text, Hpke.KEY_LENGTH, "public key");
        if (parsed.size() != 1) {
            throw new IllegalArgumentException("A recipient is given one public key, the one values are sealed to");
        }
        Map.Entry<String, byte[]> key = parsed.entrySet().iterator().next();
        return new RecipientKey(key.getKey(), key.getValue());
    }

    public String keyId() {
        return keyId;
    }

    @Override
    public SealedValue seal(Secret secret, Binding binding) {
        byte[] plaintext = secret.reveal();
        try {
            return new SealedValue(keyId, Hpke.seal(publicKey, binding.bytes(RecipientKeyring.LABEL), new byte[0], plaintext));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "RecipientKey[" + keyId + "]";
    }
}
