package org.countersign.protocol.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.countersign.protocol.OtpAlgorithm;
import org.countersign.secrets.Secret;

/** One HMAC over a {@link Secret}, with the revealed key bytes wiped as soon as JCA has them. */
public final class Hmac {

    private Hmac() {
    }

    public static byte[] compute(OtpAlgorithm algorithm, Secret key, byte[] message) {
        return keyed(algorithm, key).doFinal(message);
    }

    /** A Mac ready for several messages under one key, as a window of candidates needs. */
    public static Mac keyed(OtpAlgorithm algorithm, Secret key) {
        byte[] keyBytes = key.reveal();
        try {
            Mac mac = Mac.getInstance(algorithm.hmacName());
            mac.init(new SecretKeySpec(keyBytes, algorithm.hmacName()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.hmacName() + " is unavailable", e);
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }
}
