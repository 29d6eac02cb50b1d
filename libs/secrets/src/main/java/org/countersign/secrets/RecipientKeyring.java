package org.countersign.secrets;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKEContext;

/**
 * A service's own X25519 private keys by id: it opens what other services sealed to any of their public
 * halves with HPKE ({@link RecipientKey}), so values sealed for it open nowhere else. Several keys let
 * them rotate: the producers seal to the public key they are given, and every key still in the ring opens.
 * A value opens only for the purpose and owner ({@link Binding}) it was sealed for: format {@code v3}
 * binds it into its exported key ({@link TransportSpan}), the older {@code v2} (one HPKE context a
 * value) into HPKE's {@code info}. The contexts of the latest spans are kept, so the values of one span
 * cost one X25519 agreement here.
 */
public final class RecipientKeyring implements Opener {

    static final String LABEL = "countersign/v2/transport";

    /** Spans of every producer replica, at about one a second each: ample to open a wave's values once each. */
    static final int CONTEXTS_KEPT = 256;

    private final Map<String, AsymmetricCipherKeyPair> keys;
    private final Map<Span, HPKEContext> contexts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Span, HPKEContext> eldest) {
            return size() > CONTEXTS_KEPT;
        }
    };

    private record Span(String keyId, ByteBuffer enc) {
    }

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
        byte[] bytes = sealed.sealed();
        if (SealedValue.TRANSPORT_VERSION.equals(sealed.version())) {
            return Secret.wipingCopyOf(TransportSpan.open(context(sealed.keyId(), pair, TransportSpan.encOf(bytes)), bytes, binding));
        }
        return Secret.wipingCopyOf(Hpke.open(pair, binding.bytes(LABEL), new byte[0], bytes));
    }

    /** The context of a span, set up once: a value that does not open leaves it kept, as it costs nothing more than a miss. */
    private HPKEContext context(String keyId, AsymmetricCipherKeyPair pair, byte[] enc) {
        Span span = new Span(keyId, ByteBuffer.wrap(enc));
        synchronized (contexts) {
            HPKEContext known = contexts.get(span);
            if (known != null) {
                return known;
            }
        }
        HPKEContext context = Hpke.receiver(pair, enc, TransportSpan.INFO);
        synchronized (contexts) {
            contexts.put(span, context);
        }
        return context;
    }

    @Override
    public String toString() {
        return "RecipientKeyring[ids=" + keys.keySet() + "]";
    }
}
