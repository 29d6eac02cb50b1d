package org.countersign.portal.domain;

/** A page that needs a session was asked for without one (never signed in, expired, signed out, or another domain's). */
public final class NotSignedInException extends RuntimeException {

    public NotSignedInException() {
        super("Not signed in", null, false, false);
    }
}
