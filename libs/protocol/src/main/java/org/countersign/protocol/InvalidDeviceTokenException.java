package org.countersign.protocol;

/**
 * Server side: a device's bearer token (protocol.md, "Device authentication") is not valid. The
 * message is always the same, "invalid device token", so nothing in an answer helps an attacker;
 * {@link #reason()} tells logs and metrics which check failed. Checks run in the order of the
 * constants below and the first failure wins.
 */
public final class InvalidDeviceTokenException extends RuntimeException {

    /** In the order the checks run. */
    public enum Reason {
        /**
         * Not a compact JWS: not three parts of strict base64url, longer than
         * {@link DeviceToken#MAX_TOKEN_LENGTH}, a header or claims set that is not a strict UTF-8
         * JSON object (duplicate members included).
         */
        MALFORMED,
        /** {@code alg} is not exactly {@code ES256} ({@code none}, {@code HS256}, {@code RS256}, ...). */
        ALGORITHM,
        /** The header is not exactly {@code alg}, {@code typ} = {@code JWT} and {@code kid} = an iid (any other member, {@code crit} included, is refused). */
        HEADER,
        /** No key is known for {@code kid} (the key lookup returned null). */
        UNKNOWN_INSTANCE,
        /** The signature is not 64 bytes of {@code R‖S} (a DER signature is refused) or does not verify. */
        SIGNATURE,
        /** {@code iss} or {@code sub} is missing, not a string, or not equal to {@code kid}. */
        ISSUER,
        /** {@code aud} is missing, not a single string (an array is refused), or not the expected audience. */
        AUDIENCE,
        /** {@code iat} or {@code exp} is missing or not a non-negative JSON integer. */
        TIMES,
        /** {@code exp} is not after {@code iat}, or more than {@link DeviceToken#MAX_LIFETIME_SECONDS} after it. */
        LIFETIME,
        /** {@code exp} lies more than {@link DeviceToken#CLOCK_SKEW_SECONDS} in the past. */
        EXPIRED,
        /** {@code iat} lies more than {@link DeviceToken#CLOCK_SKEW_SECONDS} in the future. */
        ISSUED_IN_FUTURE,
        /** {@code jti} is missing, not strict base64url, shorter than 16 bytes or longer than {@link DeviceToken#MAX_JTI_LENGTH} characters. */
        JTI
    }

    private final Reason reason;

    public InvalidDeviceTokenException(Reason reason) {
        super("invalid device token", null, false, false);
        this.reason = reason;
    }

    /** For logs and metrics only; never put it in an answer. */
    public Reason reason() {
        return reason;
    }
}
