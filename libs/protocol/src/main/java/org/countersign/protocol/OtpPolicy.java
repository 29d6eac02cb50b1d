package org.countersign.protocol;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of an OTP credential, never its key: the {@code otp} string of protocol.md,
 * {@code totp:<alg>:<digits>:<period>} or {@code hotp:<alg>:<digits>}. Parsing is exact and
 * case-sensitive, so that {@link #format()} gives back the very string that was parsed and the
 * string can go into AADs. Every instance is valid.
 */
public final class OtpPolicy {

    public enum Kind { HOTP, TOTP }

    /** protocol.md's default policy. */
    public static final OtpPolicy DEFAULT = totp(OtpAlgorithm.SHA1, 6, 30);

    // No leading zeros and at most 10 digits, so that the canonical form is unique and fits a long.
    private static final Pattern FORMAT = Pattern.compile(
            "(?:totp:(sha1|sha256|sha512):([678]):([1-9][0-9]{0,9}))|(?:hotp:(sha1|sha256|sha512):([678]))");

    private final Kind kind;
    private final OtpAlgorithm algorithm;
    private final int digits;
    private final int period;

    private OtpPolicy(Kind kind, OtpAlgorithm algorithm, int digits, int period) {
        this.kind = kind;
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("An OTP has 6, 7 or 8 digits, not " + digits);
        }
        if (kind == Kind.TOTP && period <= 0) {
            throw new IllegalArgumentException("A TOTP period is a positive number of seconds");
        }
        this.digits = digits;
        this.period = period;
    }

    public static OtpPolicy totp(OtpAlgorithm algorithm, int digits, int periodSeconds) {
        return new OtpPolicy(Kind.TOTP, algorithm, digits, periodSeconds);
    }

    public static OtpPolicy hotp(OtpAlgorithm algorithm, int digits) {
        return new OtpPolicy(Kind.HOTP, algorithm, digits, 0);
    }

    /** @throws IllegalArgumentException unless {@code text} is exactly an {@code otp} string of protocol.md */
    public static OtpPolicy parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("Not an otp policy: expected totp:<sha1|sha256|sha512>:<6|7|8>:<period> "
                    + "or hotp:<sha1|sha256|sha512>:<6|7|8>");
        }
        if (m.group(1) != null) {
            long period = Long.parseLong(m.group(3));
            if (period > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("The TOTP period is too long");
            }
            return totp(OtpAlgorithm.fromPolicyName(m.group(1)), Integer.parseInt(m.group(2)), (int) period);
        }
        return hotp(OtpAlgorithm.fromPolicyName(m.group(4)), Integer.parseInt(m.group(5)));
    }

    public Kind kind() {
        return kind;
    }

    public OtpAlgorithm algorithm() {
        return algorithm;
    }

    public int digits() {
        return digits;
    }

    /** @throws IllegalStateException for HOTP, which has no period */
    public int periodSeconds() {
        if (kind != Kind.TOTP) {
            throw new IllegalStateException("HOTP has no period");
        }
        return period;
    }

    /** Length of {@code K_otp} for this policy (protocol.md): 20, 32 or 64 bytes. */
    public int keyLength() {
        return algorithm.outputLength();
    }

    /** The TOTP time step T = floor(unixSeconds / period), with T0 = 0 (RFC 6238). */
    public long timeStep(long unixSeconds) {
        return Math.floorDiv(unixSeconds, (long) periodSeconds());
    }

    /**
     * Whether {@code code} has the form of an OTP of this policy: exactly {@link #digits()} ASCII
     * digits. Lets a caller tell a typo from a wrong code; it says nothing about the key.
     */
    public boolean wellFormed(String code) {
        if (code == null || code.length() != digits) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The canonical {@code otp} string, which {@link #parse} accepts and maps back to an equal policy. */
    public String format() {
        return kind == Kind.TOTP
                ? "totp:" + algorithm.policyName() + ":" + digits + ":" + period
                : "hotp:" + algorithm.policyName() + ":" + digits;
    }

    @Override
    public String toString() {
        return format();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OtpPolicy that && kind == that.kind && algorithm == that.algorithm
                && digits == that.digits && period == that.period;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, algorithm, digits, period);
    }
}
