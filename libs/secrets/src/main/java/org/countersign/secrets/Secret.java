package org.countersign.secrets;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret bytes: a key, an instance secret, a seed, a PIN. The factory copies its input and
 * {@link #reveal()} copies its output, so nobody can change a secret they were handed. There is no
 * equals or hashCode (only a constant-time comparison), and toString prints only the length. Every
 * read of the bytes goes through {@code reveal()}, so each one can be found with grep and reviewed.
 */
public final class Secret {

    private final byte[] bytes;

    private Secret(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Secret copyOf(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("A secret has at least one byte");
        }
        return new Secret(bytes.clone());
    }

    /** A secret of these bytes, which are wiped: for a plaintext just decrypted into an array of one's own. */
    public static Secret wipingCopyOf(byte[] bytes) {
        try {
            return copyOf(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** {@code length} fresh random bytes from the one source of randomness. */
    public static Secret random(int length) {
        return new Secret(Randomness.bytes(length));
    }

    /** A copy of the secret bytes. */
    public byte[] reveal() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** Constant-time equality of the bytes; lengths may be compared in the open. */
    public boolean sameAs(Secret other) {
        return other != null && MessageDigest.isEqual(bytes, other.bytes);
    }

    /** Zeroes the bytes, for secrets whose lifetime ends before the garbage collector comes. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "Secret[" + bytes.length + " bytes]";
    }
}
