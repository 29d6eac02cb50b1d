package org.countersign.portal.domain;

/** A form came without the session's CSRF token (or with another's): nothing it asked for was done. */
public final class CsrfRefusedException extends RuntimeException {

    public CsrfRefusedException() {
        super("The form's CSRF token does not match the session", null, false, false);
    }
}
