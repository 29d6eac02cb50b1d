package org.countersign.protocol.internal;

import java.nio.ByteBuffer;
import org.countersign.protocol.OtpAlgorithm;
import org.countersign.secrets.Secret;
import org.countersign.protocol.Truncation;

/** RFC 4226: DT(HMAC(K, C), digits) with C the 8-byte big-endian moving factor. */
public final class Hotp {

    private Hotp() {
    }

    public static String generate(OtpAlgorithm algorithm, Secret key, long movingFactor, int digits) {
        return Truncation.dt(Hmac.compute(algorithm, key, counterBytes(movingFactor)), digits);
    }

    static byte[] counterBytes(long movingFactor) {
        if (movingFactor < 0) {
            throw new IllegalArgumentException("Moving factors are not negative");
        }
        return ByteBuffer.allocate(Long.BYTES).putLong(movingFactor).array();
    }
}
