package org.countersign.protocol;

/**
 * One named field of a transaction (a push request or an offline signing challenge): what the
 * user sees beside the message, such as {@code Amount = EUR 100.00}. Every instance obeys the rules
 * of protocol.md for {@code dataHash}: the name has no {@code =} and no line break, the value no line
 * break, and both are valid Unicode. An empty name or value is allowed; a service that wants more
 * (non-empty, length limits) checks that itself.
 *
 * <p>"Line break" is a line feed (U+000A), which separates the lines that are hashed, and a carriage
 * return (U+000D), which a screen or terminal also treats as one and could use to hide text.
 */
public record TransactionField(String name, String value) {

    /** @throws InvalidTransactionDataException naming the rule, never the text */
    public TransactionField {
        if (name == null) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.MISSING, "field name");
        }
        if (value == null) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.MISSING, "field value");
        }
        if (name.indexOf('=') >= 0) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.NAME_CONTAINS_EQUALS, "field name");
        }
        if (hasLineBreak(name)) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.NAME_CONTAINS_LINE_BREAK, "field name");
        }
        if (hasLineBreak(value)) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.VALUE_CONTAINS_LINE_BREAK, "field value");
        }
        if (!TransactionData.isUnicode(name)) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.NOT_UNICODE, "field name");
        }
        if (!TransactionData.isUnicode(value)) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.NOT_UNICODE, "field value");
        }
    }

    private static boolean hasLineBreak(String text) {
        return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
    }
}
