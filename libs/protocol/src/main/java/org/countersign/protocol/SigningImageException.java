package org.countersign.protocol;

/**
 * Device side: a signing message cannot be shown. Either it names another instance than the
 * device's own, or it does not decrypt under the device's {@code K_tx}: tampered with, damaged, or
 * made for another instance. The device says so and shows no response.
 */
public final class SigningImageException extends RuntimeException {

    public enum Reason {
        /** {@code iid} is not the device's own instance id. */
        OTHER_INSTANCE,
        /** The GCM tag did not verify. */
        DOES_NOT_DECRYPT
    }

    private final Reason reason;

    public SigningImageException(Reason reason) {
        super(reason == Reason.OTHER_INSTANCE
                ? "the signing message is for another instance"
                : "the signing message does not decrypt: tampered with, damaged, or made for another instance",
                null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
