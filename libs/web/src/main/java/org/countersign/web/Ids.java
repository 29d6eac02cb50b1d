package org.countersign.web;

/** Shapes of the identifiers every API accepts (protocol.md: no variable field may contain '|'). */
public final class Ids {

    /** Serial numbers, registration and instance ids: {@code [A-Za-z0-9-]{1,64}}. */
    public static final String ID = "[A-Za-z0-9-]{1,64}";
    /** A user id: up to 255 characters, no '|', white space or control characters (e-mail addresses are fine). */
    public static final String USER_ID = "[^|\\s\\p{Cntrl}]{1,255}";

    private Ids() {
    }
}
