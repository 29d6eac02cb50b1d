package org.countersign.protocol;

/**
 * A code, OTP or response did not verify. Deliberately says nothing about why: not whether the
 * form was wrong, nor which step came close.
 */
public final class InvalidCodeException extends RuntimeException {

    public InvalidCodeException() {
        super("invalid code", null, false, false);
    }
}
