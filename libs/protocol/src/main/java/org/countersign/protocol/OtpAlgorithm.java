package org.countersign.protocol;

/**
 * The hash functions that HOTP, TOTP and OCRA run HMAC over. The output length is also the length
 * of the {@code K_otp} that protocol.md derives for the algorithm.
 */
public enum OtpAlgorithm {
    SHA1("sha1", "SHA1", "HmacSHA1", "SHA-1", 20),
    SHA256("sha256", "SHA256", "HmacSHA256", "SHA-256", 32),
    SHA512("sha512", "SHA512", "HmacSHA512", "SHA-512", 64);

    private final String policyName;
    private final String ocraName;
    private final String hmacName;
    private final String digestName;
    private final int outputLength;

    OtpAlgorithm(String policyName, String ocraName, String hmacName, String digestName, int outputLength) {
        this.policyName = policyName;
        this.ocraName = ocraName;
        this.hmacName = hmacName;
        this.digestName = digestName;
        this.outputLength = outputLength;
    }

    /** As the protocol.md {@code otp} string writes it: {@code sha1}, {@code sha256}, {@code sha512}. */
    public String policyName() {
        return policyName;
    }

    /** As an OCRA suite writes it: {@code SHA1}, {@code SHA256}, {@code SHA512}. */
    public String ocraName() {
        return ocraName;
    }

    /** The JCA name of the HMAC. */
    public String hmacName() {
        return hmacName;
    }

    /** The JCA name of the plain hash (OCRA hashes PINs with it). */
    public String digestName() {
        return digestName;
    }

    /** Bytes of output, 20, 32 or 64. */
    public int outputLength() {
        return outputLength;
    }

    static OtpAlgorithm fromPolicyName(String name) {
        for (OtpAlgorithm algorithm : values()) {
            if (algorithm.policyName.equals(name)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("Unknown OTP algorithm");
    }

    static OtpAlgorithm fromOcraName(String name) {
        for (OtpAlgorithm algorithm : values()) {
            if (algorithm.ocraName.equals(name)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("Unknown OCRA hash function");
    }
}
