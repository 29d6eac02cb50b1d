package org.countersign.events;

/**
 * The record key of an event: {@code userId@domain}, so that each user's events stay in order. Events
 * about a licence changing hands are keyed by the licence instead ({@link #ofLicence}): an assignment
 * and the release before it concern two users, and only one key keeps them in order.
 */
public final class EventKey {

    private EventKey() {
    }

    public static String of(String userId, String domain) {
        if (userId == null || userId.isEmpty() || domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("An event key needs a user id and a domain");
        }
        return userId + "@" + domain;
    }

    /** {@code licence:serialNumber@domain}: every change of one licence's owner on one partition, in order. */
    public static String ofLicence(String serialNumber, String domain) {
        if (serialNumber == null || serialNumber.isEmpty() || domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("A licence's event key needs a serial number and a domain");
        }
        return "licence:" + serialNumber + "@" + domain;
    }
}
