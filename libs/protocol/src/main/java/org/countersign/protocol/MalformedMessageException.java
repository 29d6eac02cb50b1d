package org.countersign.protocol;

/**
 * A URI or field of protocol.md is not well formed: wrong scheme, bad percent-encoding, a
 * duplicate or missing parameter, {@code v} other than 1, a value of the wrong form. A device
 * refuses such a message and a server answers 400. The message names the rule that was broken,
 * never the value, because values can be secrets such as {@code ap}.
 */
public final class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message, null, false, false);
    }
}
