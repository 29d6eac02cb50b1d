package org.countersign.visualcodes.codec;

/** The message does not fit the chosen format and error-correction level; says the bounds in bytes. */
public final class MessageLengthException extends Exception {

    private final int minBytes;
    private final int maxBytes;
    private final int actualBytes;

    MessageLengthException(int minBytes, int maxBytes, int actualBytes) {
        // The text carries only numbers: a message can be a secret.
        super("Message of " + actualBytes + " bytes outside [" + minBytes + ", " + maxBytes + "]", null, false, false);
        this.minBytes = minBytes;
        this.maxBytes = maxBytes;
        this.actualBytes = actualBytes;
    }

    public int minBytes() {
        return minBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public int actualBytes() {
        return actualBytes;
    }

    public boolean tooLong() {
        return actualBytes > maxBytes;
    }
}
