package org.countersign.protocol;

import org.countersign.protocol.internal.HotpVerifier;
import org.countersign.secrets.Secret;

/**
 * Checks OTPs of one credential. Verification returns the moving factor (TOTP step or HOTP
 * counter) that matched, so that the caller can store it and pass {@link OtpWindow#after} next
 * time, and learn drift as matched step minus current step. It throws on any failure, so nobody
 * can forget to check a result.
 *
 * <p>Every candidate in the window is computed and compared in constant time, whether or not an
 * earlier one matched; the time a check takes depends on the window size only.
 */
public interface OtpVerifier {

    static OtpVerifier of(OtpPolicy policy, Secret key) {
        return new HotpVerifier(policy, key);
    }

    /**
     * @return the lowest moving factor in {@code window} at which {@code code} is the OTP
     * @throws InvalidCodeException when the code is not exactly {@code digits} ASCII digits, the
     *     window is empty, or no moving factor in it matches
     */
    long verify(String code, OtpWindow window);

    /**
     * Resynchronisation (RFC 4226 section 7.4): {@code first} and {@code second} must be the OTPs of
     * two consecutive moving factors {@code m} and {@code m + 1}, with {@code m} in {@code window}.
     * Two codes make a chance match in a wide window unlikely where one would not be.
     *
     * @return the moving factor of {@code second}, the lowest if several fit
     * @throws InvalidCodeException as {@link #verify}
     */
    long verifyConsecutive(String first, String second, OtpWindow window);
}
