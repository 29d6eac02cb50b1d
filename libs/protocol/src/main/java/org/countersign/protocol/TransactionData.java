package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.countersign.protocol.internal.Base64Url;

/**
 * What a user approves: a message and named fields, in order, as push requests and offline signing
 * challenges carry them. Every instance is valid (see {@link TransactionField} for the field rules;
 * the message may hold anything but an unpaired surrogate, line breaks and {@code |} included,
 * because it enters only a hash, never a joined string).
 *
 * <p>{@link #dataHash()} is protocol.md's
 * {@code base64url(SHA-256(message + "\n" + name1 + "=" + value1 + "\n" + ...))}, over UTF-8, with
 * the fields in the order given, no trailing newline, and the message alone when there are no fields.
 */
public record TransactionData(String message, List<TransactionField> fields) {

    /** A dataHash is the base64url of 32 bytes: 43 characters. */
    public static final int DATA_HASH_LENGTH = 43;

    /** @throws InvalidTransactionDataException naming the rule and the position, never the text */
    public TransactionData {
        if (message == null) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.MISSING, "message");
        }
        if (!isUnicode(message)) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.NOT_UNICODE, "message");
        }
        if (fields == null) {
            throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.MISSING, "fields");
        }
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i) == null) {
                throw new InvalidTransactionDataException(InvalidTransactionDataException.Reason.MISSING, "fields[" + i + "]");
            }
        }
        fields = List.copyOf(fields);
    }

    /** A message with no fields. */
    public static TransactionData of(String message) {
        return new TransactionData(message, List.of());
    }

    /** The exact bytes that are hashed: the UTF-8 of the message and the {@code name=value} lines. */
    public byte[] hashInput() {
        StringBuilder text = new StringBuilder(message);
        for (TransactionField field : fields) {
            text.append('\n').append(field.name()).append('=').append(field.value());
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code dataHash}: base64url (no padding) of the SHA-256 of {@link #hashInput()}, 43 characters. */
    public String dataHash() {
        try {
            return Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(hashInput()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** Whether {@code dataHash} has the form of one: canonical base64url of 32 bytes. */
    public static boolean isDataHash(String dataHash) {
        if (dataHash == null || dataHash.length() != DATA_HASH_LENGTH) {
            return false;
        }
        try {
            return Base64Url.decode(dataHash).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** No unpaired surrogate: the text has one UTF-8 form (String.getBytes would turn a lone one into '?'). */
    static boolean isUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
