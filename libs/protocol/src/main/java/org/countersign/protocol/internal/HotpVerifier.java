package org.countersign.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import javax.crypto.Mac;
import org.countersign.secrets.ConstantTime;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.OtpVerifier;
import org.countersign.protocol.OtpWindow;
import org.countersign.secrets.Secret;
import org.countersign.protocol.Truncation;

/** HOTP and TOTP share this: a TOTP step is an HOTP counter. */
public final class HotpVerifier implements OtpVerifier {

    private static final long NONE = -1;

    private final OtpPolicy policy;
    private final Secret key;

    public HotpVerifier(OtpPolicy policy, Secret key) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public long verify(String code, OtpWindow window) {
        checkForm(code);
        Mac mac = Hmac.keyed(policy.algorithm(), key);
        byte[] candidate = code.getBytes(StandardCharsets.US_ASCII);
        long matched = NONE;
        for (long m = window.first(); m <= window.last(); m++) {
            // No early exit: the loop always runs over the whole window.
            boolean equal = ConstantTime.equal(candidate, otp(mac, m));
            matched = equal && matched == NONE ? m : matched;
        }
        return found(matched);
    }

    @Override
    public long verifyConsecutive(String first, String second, OtpWindow window) {
        checkForm(first);
        checkForm(second);
        Mac mac = Hmac.keyed(policy.algorithm(), key);
        byte[] firstBytes = first.getBytes(StandardCharsets.US_ASCII);
        byte[] secondBytes = second.getBytes(StandardCharsets.US_ASCII);
        long matched = NONE;
        boolean previousEqual = false;
        // One step past the window, so that the pair (last, last + 1) is tried too.
        for (long m = window.first(); !window.isEmpty() && m <= window.last() + 1; m++) {
            byte[] otp = otp(mac, m);
            boolean pair = previousEqual & ConstantTime.equal(secondBytes, otp);
            matched = pair && matched == NONE ? m : matched;
            previousEqual = m <= window.last() & ConstantTime.equal(firstBytes, otp);
        }
        return found(matched);
    }

    private void checkForm(String code) {
        if (!policy.wellFormed(code)) {
            throw new InvalidCodeException();
        }
    }

    private byte[] otp(Mac mac, long movingFactor) {
        return Truncation.dt(mac.doFinal(Hotp.counterBytes(movingFactor)), policy.digits())
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static long found(long matched) {
        if (matched == NONE) {
            throw new InvalidCodeException();
        }
        return matched;
    }

    @Override
    public String toString() {
        return "OtpVerifier[" + policy + "]";
    }
}
