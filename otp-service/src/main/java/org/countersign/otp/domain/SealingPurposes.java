package org.countersign.otp.domain;

/**
 * The purposes bound into every sealed secret this service holds or receives: a value sealed for
 * one purpose never opens as another. The transport purposes are those the sending services use.
 */
public final class SealingPurposes {

    /** An imported token's seed, as registration-service seals it for transport. */
    public static final String TOKEN_SEED = "token-seed";
    /** An activated instance's secret (IS), as provisioning-service seals it for transport. */
    public static final String INSTANCE_SECRET = "instance-secret";
    /** The key OTPs are computed with, at rest here; also the transport purpose of a stock app's raw key. */
    public static final String OTP_KEY = "otp-key";
    /** An instance secret kept at rest for offline signing: distinct from the OTP key's purpose. */
    public static final String SIGNING_INSTANCE_SECRET = "signing-instance-secret";

    private SealingPurposes() {
    }
}
