package org.countersign.testing;

import java.time.Duration;
import java.time.Instant;

/** Waits for what other threads and processes do: a condition polled until it holds, or a failure that says what. */
public final class Await {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 50;

    /** A condition that may need I/O to decide. */
    public interface Check {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    /** Polls until the check holds; fails after 30 s with "Timed out waiting until {@code what}". */
    public static void until(Check check, String what) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
