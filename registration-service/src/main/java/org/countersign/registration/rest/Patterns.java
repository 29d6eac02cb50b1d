package org.countersign.registration.rest;

/** Shapes of identifiers the API accepts (protocol.md: no variable field may contain '|'). */
final class Patterns {

    static final String ID = org.countersign.web.Ids.ID;
    static final String USER_ID = org.countersign.web.Ids.USER_ID;
    /** An authenticator type, e.g. hardware-offline or mobile-app. */
    static final String TYPE = "[a-z0-9-]{1,32}";

    private Patterns() {
    }
}
