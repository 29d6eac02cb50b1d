package org.countersign.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.countersign.secrets.Secret;

/**
 * {@code K_off = PBKDF2-HMAC-SHA256(password = PIN, salt, iterations)}, 32 bytes (protocol.md,
 * "Offline authentication data"): the key of an offline bundle's tags, derived from the server PIN,
 * so that the bundle is useless without it and each guess at the PIN costs the iterations.
 *
 * <p>The JDK's {@code PBKDF2WithHmacSHA256} does the work: it encodes the password characters as
 * UTF-8, which is exactly "the PIN is its UTF-8 bytes", and runs about three times faster than a
 * pure-Java HMAC (measured with BouncyCastle 1.83 on Java 17), so the same time buys more iterations.
 * The PIN arrives as UTF-8 bytes ({@link Secret}) and is decoded strictly: bytes that are not UTF-8
 * have no characters to hand the JDK and are refused.
 */
public final class OfflineKey {

    /** Below this, agents refuse a bundle and servers refuse to make one (protocol.md). */
    public static final int MIN_ITERATIONS = 100_000;
    /**
     * Above this, agents refuse a bundle too: tens of seconds per logon would make a tampered
     * bundle a denial of service, and no policy of ours goes that high.
     */
    public static final int MAX_ITERATIONS = 10_000_000;
    public static final int LENGTH = 32;

    private OfflineKey() {
    }

    /**
     * @param pin the PIN's UTF-8 bytes, at least one
     * @param salt the bundle's salt
     * @param iterations {@link #MIN_ITERATIONS} to {@link #MAX_ITERATIONS}
     * @throws IllegalArgumentException for iterations out of range, or a PIN that is not UTF-8
     */
    public static Secret derive(Secret pin, byte[] salt, int iterations) {
        requireIterations(iterations);
        if (salt == null || salt.length == 0) {
            throw new IllegalArgumentException("K_off needs a salt");
        }
        return pbkdf2(pin, salt, iterations, LENGTH);
    }

    /** PBKDF2-HMAC-SHA256 without the protocol's floor on iterations, for the RFC 7914 known answers. */
    static Secret pbkdf2(Secret pin, byte[] salt, int iterations, int length) {
        char[] password = characters(pin);
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, length * 8);
        byte[] key = null;
        try {
            SecretKey derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec);
            key = derived.getEncoded();
            return Secret.copyOf(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is unavailable", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(password, '\0');
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    static void requireIterations(long iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be " + MIN_ITERATIONS + " to " + MAX_ITERATIONS);
        }
    }

    /** The PIN's characters, decoded strictly from its UTF-8 bytes; the caller wipes them. */
    private static char[] characters(Secret pin) {
        byte[] bytes = pin.reveal();
        CharBuffer chars = null;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The PIN is not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null && chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }
}
