package org.countersign.protocol;

/**
 * A typed device code is not a device code at all: a typo, not a guess. protocol.md has a server
 * answer 400 and not count an attempt. The reason only describes the form of what was typed.
 */
public final class MalformedDeviceCodeException extends RuntimeException {

    public enum Reason {
        /** Something other than ASCII digits remained once spaces (U+0020) were removed. */
        NOT_DIGITS,
        /** Not 14 digits. */
        WRONG_LENGTH,
        /** The 14th digit is not the Luhn check digit of the first 13. */
        CHECK_DIGIT,
        /** The first 13 digits are 2^40 or more, so no 5 bytes give them. */
        OUT_OF_RANGE
    }

    private final Reason reason;

    public MalformedDeviceCodeException(Reason reason) {
        super("malformed device code: " + reason, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
