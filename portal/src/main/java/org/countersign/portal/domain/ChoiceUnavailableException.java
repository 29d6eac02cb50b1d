package org.countersign.portal.domain;

/** The device or licence chosen is not (or no longer) one the user may activate that way. */
public final class ChoiceUnavailableException extends RuntimeException {

    public ChoiceUnavailableException() {
        super("That choice is not available", null, false, false);
    }
}
