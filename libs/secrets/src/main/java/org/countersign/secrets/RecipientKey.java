package org.countersign.secrets;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;

/**
 * Another service's public X25519 key, with its id: values sealed to it with HPKE open only with the
 * matching private key of that service's {@link RecipientKeyring}, so the producer itself cannot open
 * them again, and neither can any other service. Values are sealed in spans that share one HPKE context
 * ({@link TransportSpan}, format {@code v3}).
 */
public final class RecipientKey implements Sealer {

    private final String keyId;
    private final byte[] publicKey;
    private final LongSupplier nanoTime;
    private final AtomicReference<TransportSpan> span = new AtomicReference<>();

    private RecipientKey(String keyId, byte[] publicKey, LongSupplier nanoTime) {
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.nanoTime = nanoTime;
    }

    /** Parses {@code kid:base64} of a 32-byte X25519 public key (one key: the one to seal to now). */
    public static RecipientKey parse(String text) {
        return parse(text, System::nanoTime);
    }

    /** As {@link #parse(String)}, with the clock that ends spans: tests name one. */
    static RecipientKey parse(String text, LongSupplier nanoTime) {
        Map<String, byte[]> parsed = KeyText.parse(text, Hpke.KEY_LENGTH, "public key");
        if (parsed.size() != 1) {
            throw new IllegalArgumentException("A recipient is given one public key, the one values are sealed to");
        }
        Map.Entry<String, byte[]> key = parsed.entrySet().iterator().next();
        return new RecipientKey(key.getKey(), key.getValue(), nanoTime);
    }

    public String keyId() {
        return keyId;
    }

    @Override
    public SealedValue seal(Secret secret, Binding binding) {
        byte[] plaintext = secret.reveal();
        try {
            return new SealedValue(SealedValue.TRANSPORT_VERSION, keyId, currentSpan().seal(plaintext, binding));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The span to seal in now: the current one while it takes values, else a new context under a fresh ephemeral key. */
    private TransportSpan currentSpan() {
        long now = nanoTime.getAsLong();
        TransportSpan current = span.get();
        if (current != null && current.takes(now)) {
            return current;
        }
        HPKEContextWithEncapsulation context = Hpke.sender(publicKey, TransportSpan.INFO, null);
        TransportSpan next = new TransportSpan(context, context.getEncapsulation(), now);
        next.takes(now);
        // Two callers may start a span at once: each seals its value in its own, and the last one stays.
        span.set(next);
        return next;
    }

    @Override
    public String toString() {
        return "RecipientKey[" + keyId + "]";
    }
}
