package org.countersign.otp.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.countersign.web.ProblemException;

/**
 * A refresh for the same agent and credential less than a day after the last: the answer says when
 * the next is allowed, in {@code Retry-After} (seconds) and in the problem's {@code nextRefreshAt}.
 */
public final class RefreshTooSoon extends ProblemException {

    private final transient Instant nextRefreshAt;

    public RefreshTooSoon(Instant nextRefreshAt, Instant now) {
        super(OfflineDataProblem.REFRESH_TOO_SOON, "This agent was given offline data for this credential less than a day ago;"
                + " the next refresh is allowed at " + nextRefreshAt.truncatedTo(ChronoUnit.SECONDS) + " (or sooner, if an admin"
                + " forces it)", Map.of("Retry-After", Long.toString(secondsUntil(now, nextRefreshAt))));
        this.nextRefreshAt = nextRefreshAt.truncatedTo(ChronoUnit.SECONDS);
    }

    public Instant nextRefreshAt() {
        return nextRefreshAt;
    }

    /** Whole seconds, rounded up, at least 1: a client that waits that long is never early. */
    static long secondsUntil(Instant now, Instant then) {
        long millis = then.toEpochMilli() - now.toEpochMilli();
        return Math.max(1, (millis + 999) / 1000);
    }
}
