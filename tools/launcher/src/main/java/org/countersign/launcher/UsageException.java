package org.countersign.launcher;

/** A command line that cannot be carried out as written; the message says how to write it. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
