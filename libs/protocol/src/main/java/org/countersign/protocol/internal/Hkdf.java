package org.countersign.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.countersign.secrets.Secret;

/**
 * HKDF-SHA256 of RFC 5869, as protocol.md uses it. An empty salt is a zero-length salt, which
 * RFC 5869 section 2.2 treats as HashLen zero bytes; HMAC pads both to the same key.
 */
public final class Hkdf {

    /** RFC 5869 caps L at 255 * HashLen. */
    public static final int MAX_LENGTH = 255 * 32;

    private Hkdf() {
    }

    public static Secret derive(Secret ikm, byte[] salt, String info, int length) {
        byte[] ikmBytes = ikm.reveal();
        byte[] out = null;
        try {
            out = derive(ikmBytes, salt, info.getBytes(StandardCharsets.UTF_8), length);
            return Secret.copyOf(out);
        } finally {
            Arrays.fill(ikmBytes, (byte) 0);
            if (out != null) {
                Arrays.fill(out, (byte) 0);
            }
        }
    }

    /** Raw form, for the RFC 5869 known answers; protocol code goes through the {@link Secret} form. */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 gives 1 to " + MAX_LENGTH + " bytes, not " + length);
        }
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(new HKDFParameters(ikm, salt == null ? new byte[0] : salt, info));
        byte[] out = new byte[length];
        generator.generateBytes(out, 0, length);
        return out;
    }

    /** The extract step alone (PRK), only so that the RFC vectors can check it separately. */
    public static byte[] extract(byte[] ikm, byte[] salt) {
        return new HKDFBytesGenerator(new SHA256Digest()).extractPRK(salt == null ? new byte[0] : salt, ikm);
    }
}
