package org.countersign.registration.rest;

/** Shapes of identifiers the API accepts (protocol.md: no variable field may contain '|'). */
final class Patterns {

    /** Serial numbers, registration and instance ids: {@code [A-Za-z0-9-]{1,64}}. */
    static final String ID = "[A-Za-z0-9-]{1,64}";
    /** A user id: up to 255 characters, no '|', white space or control characters (e-mail addresses are fine). */
    static final String USER_ID = "[^|\\s\\p{Cntrl}]{1,255}";
    /** An authenticator type, e.g. hardware-offline or mobile-app. */
    static final String TYPE = "[a-z0-9-]{1,32}";

    private Patterns() {
    }
}
