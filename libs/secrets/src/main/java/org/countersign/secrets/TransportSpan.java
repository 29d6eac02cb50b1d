package org.countersign.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.hpke.HPKEContext;

/**
 * Values sealed to one recipient key under an HPKE context that a producer keeps for a short span (at
 * most {@link #MAX_AGE_NANOS}, {@link #MAX_VALUES} values), format {@code v3}. Each value has its own
 * key, exported from the context (RFC 9180, section 5.3) for its {@link Binding} and a random 12-byte
 * nonce, and is sealed with AES-256-GCM under it, its binding as associated data:
 * {@code enc ‖ nonce ‖ ciphertext ‖ tag}. A recipient sets up the context of an {@code enc} once and
 * keeps it for the values that follow, so a wave of events costs one X25519 agreement a span on each
 * side instead of one (and one key generation) a value. The producer can open what it sealed only while
 * it holds the span's context, when it held the plaintexts too (docs/security.md, "Sealed secrets").
 */
final class TransportSpan {

    /** The binding's label in the exported key's context and the associated data. */
    static final String LABEL = "countersign/v3/transport";
    /** HPKE's {@code info}: the context is only for exporting keys of this scheme. */
    static final byte[] INFO = "countersign/v3/transport-context".getBytes(StandardCharsets.UTF_8);
    static final long MAX_AGE_NANOS = 1_000_000_000L;
    static final int MAX_VALUES = 1_000;
    private static final int ENC_LENGTH = Hpke.KEY_LENGTH;

    private final HPKEContext context;
    private final byte[] enc;
    private final long startedNanos;
    private final AtomicInteger sealed = new AtomicInteger();

    TransportSpan(HPKEContext context, byte[] enc, long startedNanos) {
        this.context = context;
        this.enc = enc.clone();
        this.startedNanos = startedNanos;
    }

    /** Whether this span may seal one more value now. */
    boolean takes(long nowNanos) {
        return nowNanos - startedNanos < MAX_AGE_NANOS && sealed.incrementAndGet() <= MAX_VALUES;
    }

    byte[] seal(byte[] plaintext, Binding binding) {
        byte[] nonce = Randomness.bytes(Aead.NONCE_LENGTH);
        byte[] bound = binding.bytes(LABEL);
        Secret key = key(context, bound, nonce);
        byte[] ciphertext;
        try {
            ciphertext = Aead.aes256Gcm(key).seal(nonce, plaintext, bound);
        } finally {
            key.destroy();
        }
        byte[] out = new byte[ENC_LENGTH + nonce.length + ciphertext.length];
        System.arraycopy(enc, 0, out, 0, ENC_LENGTH);
        System.arraycopy(nonce, 0, out, ENC_LENGTH, nonce.length);
        System.arraycopy(ciphertext, 0, out, ENC_LENGTH + nonce.length, ciphertext.length);
        return out;
    }

    /** The {@code enc} a {@code v3} value was sealed under. @throws Aead.AeadException when it is too short to be one */
    static byte[] encOf(byte[] sealed) {
        if (sealed.length < ENC_LENGTH + Aead.NONCE_LENGTH + Aead.TAG_LENGTH) {
            throw new Aead.AeadException();
        }
        return Arrays.copyOf(sealed, ENC_LENGTH);
    }

    /** Opens a {@code v3} value with the recipient's context of its {@code enc}. @throws Aead.AeadException as any opening */
    static byte[] open(HPKEContext context, byte[] sealed, Binding binding) {
        encOf(sealed);
        byte[] nonce = Arrays.copyOfRange(sealed, ENC_LENGTH, ENC_LENGTH + Aead.NONCE_LENGTH);
        byte[] bound = binding.bytes(LABEL);
        Secret key = key(context, bound, nonce);
        try {
            return Aead.aes256Gcm(key).open(nonce, Arrays.copyOfRange(sealed, ENC_LENGTH + Aead.NONCE_LENGTH, sealed.length), bound);
        } finally {
            key.destroy();
        }
    }

    /** The AES-256-GCM key the context exports for this binding and nonce. */
    private static Secret key(HPKEContext context, byte[] bound, byte[] nonce) {
        byte[] exportContext = Arrays.copyOf(bound, bound.length + nonce.length);
        System.arraycopy(nonce, 0, exportContext, bound.length, nonce.length);
        byte[] key;
        // BouncyCastle's context exports through one HKDF generator: one export at a time.
        synchronized (context) {
            key = context.export(exportContext, Aead.KEY_LENGTH);
        }
        return Secret.wipingCopyOf(key);
    }
}
