package org.countersign.protocol;

/**
 * A transaction's message or fields break a rule of protocol.md ("Push requests", {@code dataHash}):
 * a field name may not contain {@code =} or a line break, a value may not contain a line break, so
 * that two different field lists never hash alike. A server answers 400; a device refuses the data.
 * The message names the rule and the field's position, never the text itself.
 */
public final class InvalidTransactionDataException extends RuntimeException {

    public enum Reason {
        /** The message, a field, or a field's name or value is null. */
        MISSING,
        /** A field name contains {@code =}. */
        NAME_CONTAINS_EQUALS,
        /** A field name contains a line feed (U+000A) or carriage return (U+000D). */
        NAME_CONTAINS_LINE_BREAK,
        /** A field value contains a line feed (U+000A) or carriage return (U+000D). */
        VALUE_CONTAINS_LINE_BREAK,
        /** The message, a name or a value has an unpaired surrogate, so it has no UTF-8 form to hash. */
        NOT_UNICODE
    }

    private final Reason reason;

    /** @param subject what broke the rule, e.g. {@code field name} or {@code message} */
    public InvalidTransactionDataException(Reason reason, String subject) {
        super(subject + " " + describe(reason), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    private static String describe(Reason reason) {
        return switch (reason) {
            case MISSING -> "is missing";
            case NAME_CONTAINS_EQUALS -> "may not contain '='";
            case NAME_CONTAINS_LINE_BREAK, VALUE_CONTAINS_LINE_BREAK -> "may not contain a line break (LF or CR)";
            case NOT_UNICODE -> "is not valid Unicode (it has an unpaired surrogate)";
        };
    }
}
