package org.countersign.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.countersign.protocol.internal.Json;

/**
 * The plaintext of an offline signing challenge (protocol.md, "Offline transaction signing"): the
 * UTF-8 JSON {@code {"message":..,"fields":[{"name":..,"value":..}],"expiresAt":..}}.
 *
 * <p>{@link #toJson()} writes exactly that: those members in that order, no white space, strings
 * escaped as {@link Json#quote} says (non-ASCII as UTF-8, control characters escaped), and
 * {@code expiresAt} as ISO 8601 UTC in whole seconds with a {@code Z}. {@link #parse} reads any
 * well-formed JSON of this shape: members in any order, white space anywhere JSON allows it,
 * unknown members ignored (as unknown URI parameters are), fraction of a second accepted and dropped.
 * It refuses duplicate members, a missing or mistyped member, and data that breaks the
 * {@code dataHash} rules. {@code expiresAt} is held in whole seconds, so a fraction is dropped on
 * construction too; it lies between 1970 and 9999.
 */
public record SigningPayload(TransactionData data, Instant expiresAt) {

    private static final Pattern TIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public SigningPayload {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(expiresAt, "expiresAt");
        expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
        if (expiresAt.isBefore(Instant.EPOCH) || expiresAt.isAfter(LATEST)) {
            throw new IllegalArgumentException("expiresAt lies between 1970 and 9999");
        }
    }

    public String message() {
        return data.message();
    }

    public List<TransactionField> fields() {
        return data.fields();
    }

    /** The payload's UTF-8 JSON, byte for byte as it is sealed. */
    public byte[] toJson() {
        StringBuilder json = new StringBuilder(64 + data.message().length());
        json.append("{\"message\":");
        Json.quote(json, data.message());
        json.append(",\"fields\":[");
        for (int i = 0; i < data.fields().size(); i++) {
            TransactionField field = data.fields().get(i);
            json.append(i == 0 ? "{\"name\":" : ",{\"name\":");
            Json.quote(json, field.name());
            json.append(",\"value\":");
            Json.quote(json, field.value());
            json.append('}');
        }
        json.append("],\"expiresAt\":");
        Json.quote(json, DateTimeFormatter.ISO_INSTANT.format(expiresAt));
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Device side: reads a decrypted payload.
     *
     * @throws MalformedMessageException naming the rule that was broken, never the text
     */
    public static SigningPayload parse(byte[] json) {
        String what = "signing payload";
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedMessageException(what + ": not UTF-8");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> object)) {
            throw new MalformedMessageException(what + ": not a JSON object");
        }
        String message = string(object, "message", what);
        if (!(object.get("fields") instanceof List<?> list)) {
            throw new MalformedMessageException(what + ": fields " + (object.containsKey("fields") ? "is not an array" : "is missing"));
        }
        List<TransactionField> fields = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> field)) {
                throw new MalformedMessageException(what + ": fields[" + i + "] is not an object");
            }
            String where = what + ": fields[" + i + "]";
            try {
                fields.add(new TransactionField(string(field, "name", where), string(field, "value", where)));
            } catch (InvalidTransactionDataException e) {
                throw new MalformedMessageException(where + ": " + e.getMessage());
            }
        }
        String expires = string(object, "expiresAt", what);
        if (!TIME.matcher(expires).matches()) {
            throw new MalformedMessageException(what + ": expiresAt is not an ISO 8601 UTC time with a Z");
        }
        try {
            return new SigningPayload(new TransactionData(message, fields), Instant.parse(expires));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": expiresAt is not a time from 1970 to 9999");
        } catch (InvalidTransactionDataException e) {
            throw new MalformedMessageException(what + ": " + e.getMessage());
        }
    }

    private static String string(Map<?, ?> object, String name, String what) {
        Object value = object.get(name);
        if (value instanceof String text) {
            return text;
        }
        throw new MalformedMessageException(what + ": " + name + (value == null ? " is missing" : " is not a string"));
    }
}
