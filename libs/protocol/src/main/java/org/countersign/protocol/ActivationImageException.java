package org.countersign.protocol;

/**
 * Device side: activation message 2 cannot be used with this activation. Either it names another
 * registration or serial number than activation message 1, or it does not decrypt, because it was
 * made for another device code or activation password (a wrong or damaged image). The device says
 * so and shows no signature.
 */
public final class ActivationImageException extends RuntimeException {

    public enum Reason {
        /** {@code rid} or {@code sn} differs from activation message 1. */
        OTHER_ACTIVATION,
        /** The GCM tag did not verify. */
        DOES_NOT_DECRYPT
    }

    private final Reason reason;

    public ActivationImageException(Reason reason) {
        super(reason == Reason.OTHER_ACTIVATION
                ? "activation message 2 belongs to another activation"
                : "activation message 2 does not decrypt: wrong image or wrong device code", null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
