package org.countersign.protocol;

/**
 * The moving factors a verifier tries: TOTP time steps or HOTP counters, from {@code first} to
 * {@code last} inclusive. A window may be empty (nothing left to accept, say after replay
 * protection has cut it). Moving factors are never negative, and a window holds at most
 * {@link #MAX_SIZE} of them so that one request can never cost more than that many HMACs.
 */
public record OtpWindow(long first, long last) {

    public static final long MAX_SIZE = 10_000;

    public OtpWindow {
        if (first < 0) {
            throw new IllegalArgumentException("Moving factors are not negative");
        }
        if (last == Long.MAX_VALUE) {
            throw new IllegalArgumentException("No moving factor gets that far");
        }
        if (last >= first && last - first >= MAX_SIZE) {
            throw new IllegalArgumentException("A window holds at most " + MAX_SIZE + " moving factors");
        }
    }

    /**
     * TOTP: {@code before} steps before {@code centre} to {@code after} steps after it. The centre
     * is the current step plus the drift learned for the credential. Steps below 0 are left out.
     */
    public static OtpWindow around(long centre, int before, int after) {
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("A window does not reach backwards");
        }
        return new OtpWindow(Math.max(0, centre - before), centre + after);
    }

    /** HOTP: the expected counter and {@code lookAhead} more. */
    public static OtpWindow lookAhead(long counter, int lookAhead) {
        if (lookAhead < 0) {
            throw new IllegalArgumentException("A look-ahead is not negative");
        }
        return new OtpWindow(counter, counter + lookAhead);
    }

    public static OtpWindow exactly(long movingFactor) {
        return new OtpWindow(movingFactor, movingFactor);
    }

    /**
     * This window without every moving factor up to {@code lastAccepted}: RFC 6238 section 5.2
     * and RFC 4226 section 7.2 never accept a step or counter twice, nor an older one.
     */
    public OtpWindow after(long lastAccepted) {
        if (lastAccepted < first) {
            return this;
        }
        if (lastAccepted >= last) {
            return new OtpWindow(first, first - 1);
        }
        return new OtpWindow(lastAccepted + 1, last);
    }

    public boolean isEmpty() {
        return last < first;
    }

    public long size() {
        return isEmpty() ? 0 : last - first + 1;
    }
}
