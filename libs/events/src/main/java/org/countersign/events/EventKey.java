package org.countersign.events;

/** The record key of every event: {@code userId@domain}, so that each user's events stay in order. */
public final class EventKey {

    private EventKey() {
    }

    public static String of(String userId, String domain) {
        if (userId == null || userId.isEmpty() || domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("An event key needs a user id and a domain");
        }
        return userId + "@" + domain;
    }
}
