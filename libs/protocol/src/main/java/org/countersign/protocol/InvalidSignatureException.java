package org.countersign.protocol;

/**
 * A device's ECDSA signature (online confirmation, push response) did not verify. Deliberately
 * says nothing about why: not whether the encoding was wrong, nor which field differed.
 */
public final class InvalidSignatureException extends RuntimeException {

    public InvalidSignatureException() {
        super("invalid signature", null, false, false);
    }
}
