package org.countersign.portal.domain;

/** A step was sent for an activation the session is not at (none under way, another kind or another step). */
public final class NoActivationException extends RuntimeException {

    public NoActivationException() {
        super("No activation at this step", null, false, false);
    }
}
