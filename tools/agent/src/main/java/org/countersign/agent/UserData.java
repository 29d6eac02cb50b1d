package org.countersign.agent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.countersign.protocol.OfflineBundle;

/**
 * What the agent keeps for one user: the bundle as the server sent it (no token key, no PIN), when
 * it was fetched and may be refreshed, the steps accepted offline with it and those not reported
 * yet, and the failed offline attempts in a row. Immutable; every change makes a new one.
 *
 * @param bundleJson the bundle's JSON, exactly as received (it is parsed again, strictly, on every read)
 */
public record UserData(String userId, String bundleJson, Instant fetchedAt, Instant nextRefreshAt, List<Long> usedSteps,
                       List<Long> unreportedSteps, int failures) {

    public UserData {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(bundleJson, "bundleJson");
        usedSteps = List.copyOf(new TreeSet<>(usedSteps));
        unreportedSteps = List.copyOf(new TreeSet<>(unreportedSteps));
    }

    static UserData fresh(String userId, String bundleJson, Instant fetchedAt, Instant nextRefreshAt) {
        return new UserData(userId, bundleJson, fetchedAt, nextRefreshAt, List.of(), List.of(), 0);
    }

    public OfflineBundle bundle() {
        return OfflineBundle.parse(bundleJson);
    }

    /** The last step accepted with this bundle; -1 before the first. */
    public long lastUsedStep() {
        return usedSteps.isEmpty() ? -1 : usedSteps.get(usedSteps.size() - 1);
    }

    UserData accepted(long step) {
        List<Long> used = new java.util.ArrayList<>(usedSteps);
        used.add(step);
        List<Long> unreported = new java.util.ArrayList<>(unreportedSteps);
        unreported.add(step);
        return new UserData(userId, bundleJson, fetchedAt, nextRefreshAt, used, unreported, 0);
    }

    UserData failed() {
        return new UserData(userId, bundleJson, fetchedAt, nextRefreshAt, usedSteps, unreportedSteps, failures + 1);
    }

    UserData reported() {
        return new UserData(userId, bundleJson, fetchedAt, nextRefreshAt, usedSteps, List.of(), failures);
    }

    UserData withNextRefreshAt(Instant when) {
        return new UserData(userId, bundleJson, fetchedAt, when, usedSteps, unreportedSteps, failures);
    }
}
