package org.countersign.otp.domain;

import org.countersign.protocol.OfflineKey;

/**
 * A domain's rules for offline authentication data, with the service's defaults filled in where the
 * domain set none.
 *
 * @param enabled whether its users' agents may have offline data at all
 * @param maxDays the most days one bundle covers; more are capped
 * @param iterations PBKDF2 iterations of K_off in new bundles
 * @param adminsMayForce whether an admin may allow a refresh before the day is over (or after a revocation)
 */
public record OfflinePolicy(boolean enabled, int maxDays, int iterations, boolean adminsMayForce) {

    public static final int MAX_DAYS = 31;
    public static final int MIN_ITERATIONS = OfflineKey.MIN_ITERATIONS;
    /** About 0.7 s of one core per bundle on the development machine; more would make refreshes a load. */
    public static final int MAX_ITERATIONS = 2_000_000;
}
