package org.countersign.otp.domain;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One attempt reserved (or refused) before a guess is evaluated: the user and each credential the
 * guess will be checked against count it as a failure at once, atomically, so that parallel guesses
 * each take a place in the budget and none beyond it is evaluated. A right answer gives it back.
 *
 * @param status whether the guess may be evaluated
 * @param credentialFailures for a granted attempt: each credential reserved, with its failures in the
 *                           period including this attempt
 * @param userFailures       for a granted attempt: the user's failures in the period including this one
 * @param retryAfterSeconds  for a refused attempt: when the soonest of them may open again; null when
 *                           only an admin can unlock
 */
public record Reservation(Status status, Map<UUID, Integer> credentialFailures, int userFailures, Long retryAfterSeconds) {

    public enum Status {
        /** The guess may be evaluated against the credentials reserved. */
        GRANTED,
        /** Every credential named, or the user, is locked or out of budget: nothing is evaluated. */
        REFUSED,
        /** The user has no usable credential: there is nothing to guess, and nothing is counted. */
        NOTHING_TO_CHECK
    }

    public static final Reservation NOTHING_TO_CHECK = new Reservation(Status.NOTHING_TO_CHECK, Map.of(), 0, null);

    public Reservation {
        credentialFailures = Map.copyOf(credentialFailures);
    }

    public static Reservation refused(Long retryAfterSeconds) {
        return new Reservation(Status.REFUSED, Map.of(), 0, retryAfterSeconds);
    }

    public boolean granted() {
        return status == Status.GRANTED;
    }

    public Set<UUID> credentials() {
        return credentialFailures.keySet();
    }

    /** Whether this attempt took the credential's last place in its budget: a failure then locks it. */
    public boolean spends(UUID credentialId, int maxFailures) {
        return credentialFailures.getOrDefault(credentialId, 0) >= maxFailures;
    }
}
