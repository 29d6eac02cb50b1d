package org.countersign.protocol;

import org.countersign.protocol.internal.Hotp;
import org.countersign.secrets.Secret;

/** Generates OTPs: what a device shows, and what simulators and tests need. */
public final class Otp {

    private Otp() {
    }

    /**
     * RFC 4226 HOTP at {@code movingFactor} (an HOTP counter, or a TOTP time step), with the
     * policy's algorithm and digits; sha256 and sha512 as RFC 6238 generalises HOTP.
     */
    public static String at(OtpPolicy policy, Secret key, long movingFactor) {
        return Hotp.generate(policy.algorithm(), key, movingFactor, policy.digits());
    }

    /** RFC 6238 TOTP at a Unix time in seconds, T0 = 0. */
    public static String atTime(OtpPolicy policy, Secret key, long unixSeconds) {
        return at(policy, key, policy.timeStep(unixSeconds));
    }
}
