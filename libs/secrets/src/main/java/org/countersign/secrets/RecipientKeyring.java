package org.countersign.secrets;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;

/**
 * A service's own X25519 private keys by id: it opens what other services sealed to any of their public
 * halves with HPKE ({@link RecipientKey}), so values sealed for it open nowhere else. Several keys let
 * them rotate: the producers seal to the public key they are given, and every key still in the ring opens.
 * The {@link Binding} is HPKE's {@code info}, so a value opens only for the purpose and owner it was
 * sealed for.
 */
public final class RecipientKeyring implements Opener {

    static final String LABEL = "countersign/v2/transport";

    private final Map<String, AsymmetricCipherKeyPair> keys;

    private RecipientKeyring(Map<String, AsymmetricCipherKeyPair> keys) {
        this.keys = keys;
    }

    /** Parses {@code kid1:base64,kid2:base64}: 32-byte X25519 private keys, standard or URL-safe base64. */
    public static RecipientKeyring parse(String privateKeys) {
        Map<String, byte[]> parsed = KeyText.parse(privateKeys, Hpke.KEY_LENGTH, "private key");
        try {
            Map<String, AsymmetricCipherKeyPair> ring = new LinkedHashMap<>();
            parsed.forEach((keyId, bytes) -> ring.put(keyId, Hpke.keyPair(bytes)));
            return new RecipientKeyring(ring);
        } finally {
            KeyText.wipe(parsed);
        }
    }

    /**
     * A fresh X25519 private key in {@link #parse}'s form, {@code keyId:base64}, for tools that write
     * configuration (the launcher, the test resource). It is a secret: write it where keys belong.
     */
    public static String generateKeyText(String keyId) {
        byte[] key = Hpke.newPrivateKey();
        try {
            return KeyText.format(keyId, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The public half of key {@code keyId}, in {@link RecipientKey#parse}'s form: what producers are given. */
    public String publicKeyText(String keyId) {
        AsymmetricCipherKeyPair pair = keys.get(keyId);
        if (pair == null) {
            throw new IllegalArgumentException("No private key '" + keyId + "' in this ring");
        }
        return KeyText.format(keyId, Hpke.publicKey(pair));
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** Whether a value sealed to key {@code keyId} can be opened here. */
    public boolean knows(String keyId) {
        return keys.containsKey(keyId);
    }

    /** @throws Aead.AeadException when the key is unknown or the value was not sealed under this binding */
    @Override
    public Secret open(SealedValue sealed, Binding binding) {
        AsymmetricCipherKeyPair pair = keys.get(sealed.keyId());
        if (pair == null) {
            throw new Aead.AeadException();
        }
        return Secret.wipingCopyOf(Hpke.open(pair, binding.bytes(LABEL), new byte[0], sealed.sealed()));
    }

    @Override
    public String toString() {
        return "RecipientKeyring[ids=" + keys.keySet() + "]";
    }
}
