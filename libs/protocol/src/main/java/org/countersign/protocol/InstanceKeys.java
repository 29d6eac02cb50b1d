package org.countersign.protocol;

import org.countersign.protocol.internal.Hkdf;
import org.countersign.secrets.Secret;

/**
 * The keys that protocol.md derives from an instance secret {@code IS}, so that neither side ever
 * uses {@code IS} directly: {@code K_proof}, {@code K_otp}, {@code K_sign} and {@code K_tx}, each
 * HKDF-SHA256 with an empty salt and its own info string.
 */
public final class InstanceKeys {

    public static final int INSTANCE_SECRET_LENGTH = 32;

    static final String PROOF_INFO = "countersign/v1/activation-proof";
    static final String OTP_INFO = "countersign/v1/otp";
    static final String SIGN_INFO = "countersign/v1/signature";
    static final String TX_INFO = "countersign/v1/transaction-key";

    private static final byte[] EMPTY_SALT = new byte[0];

    private final Secret instanceSecret;

    private InstanceKeys(Secret instanceSecret) {
        this.instanceSecret = instanceSecret;
    }

    /** @param instanceSecret {@code IS}, 32 bytes */
    public static InstanceKeys of(Secret instanceSecret) {
        if (instanceSecret == null || instanceSecret.length() != INSTANCE_SECRET_LENGTH) {
            throw new IllegalArgumentException("An instance secret has 32 bytes");
        }
        return new InstanceKeys(Secret.wipingCopyOf(instanceSecret.reveal()));
    }

    /** {@code K_proof}, 32 bytes: the key of activation signatures and online confirmation codes. */
    public Secret proof() {
        return Hkdf.derive(instanceSecret, EMPTY_SALT, PROOF_INFO, 32);
    }

    /** {@code K_otp}, as long as the policy's hash output (20, 32 or 64 bytes). */
    public Secret otp(OtpPolicy policy) {
        return Hkdf.derive(instanceSecret, EMPTY_SALT, OTP_INFO, policy.keyLength());
    }

    /** {@code K_sign}, 32 bytes: the key of transaction signatures. */
    public Secret sign() {
        return Hkdf.derive(instanceSecret, EMPTY_SALT, SIGN_INFO, 32);
    }

    /** {@code K_tx}, 32 bytes: the AEAD key of offline signing challenges. */
    public Secret tx() {
        return Hkdf.derive(instanceSecret, EMPTY_SALT, TX_INFO, 32);
    }

    /**
     * Zeroes this object's copy of {@code IS}; the derived keys already handed out are the caller's to
     * destroy. Use in {@code finally} when the keys' lifetime ends before the garbage collector comes.
     */
    public void destroy() {
        instanceSecret.destroy();
    }

    @Override
    public String toString() {
        return "InstanceKeys[derived from a 32-byte instance secret]";
    }
}
