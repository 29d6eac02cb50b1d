package org.countersign.protocol;

/**
 * What a logon agent made of a PIN+OTP typed offline ({@link OfflineBundle#check}).
 *
 * @param result accepted, rejected (never says which part was wrong, nor that a step was used
 *     already), or no data for this time (the bundle covers none of the steps around now: it has
 *     expired, or the agent's clock is wrong)
 * @param step the time step that was accepted; -1 otherwise
 */
public record OfflineCheck(Result result, long step) {

    public enum Result {
        ACCEPTED,
        REJECTED,
        NO_DATA_FOR_THIS_TIME
    }

    static final OfflineCheck REJECTED = new OfflineCheck(Result.REJECTED, -1);
    static final OfflineCheck NO_DATA = new OfflineCheck(Result.NO_DATA_FOR_THIS_TIME, -1);

    static OfflineCheck accepted(long step) {
        return new OfflineCheck(Result.ACCEPTED, step);
    }

    public boolean accepted() {
        return result == Result.ACCEPTED;
    }
}
