package org.countersign.protocol.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON that protocol.md payloads need, without a JSON library in libs/protocol: a writer
 * for strings with one fixed escaping, and a strict RFC 8259 reader.
 *
 * <p>The writer escapes {@code "} and {@code \}, writes {@code \b \f \n \r \t} short and every other
 * character below U+0020 as {@code \}{@code u00xx} (lower-case hex), and everything else as it is,
 * in UTF-8. That is byte for byte what Python's {@code json.dumps(..., ensure_ascii=False)} writes,
 * so an independent implementation can reproduce the frozen vectors.
 *
 * <p>The reader returns {@link Map} (insertion order), {@link List}, {@link String}, {@link Number}
 * (as {@link JsonNumber}, its text kept), {@link Boolean} and {@link #NULL}. It refuses duplicate
 * member names, unescaped control characters, escapes that leave an unpaired surrogate, anything
 * after the value, and nesting deeper than {@link #MAX_DEPTH}. Errors name the offset, never the text.
 */
public final class Json {

    public static final int MAX_DEPTH = 32;

    /** JSON's null, so that a member that is null differs from one that is absent. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A number as written; payloads of protocol.md carry none, so it is only ever skipped or refused. */
    public record JsonNumber(String text) {
    }

    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    /** Appends {@code value} as a JSON string, quotes included. */
    public static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** @throws IllegalArgumentException for anything but exactly one well-formed JSON value */
    public static Object parse(String text) {
        Json reader = new Json(text);
        reader.whitespace();
        Object value = reader.value(0);
        reader.whitespace();
        if (reader.at != text.length()) {
            throw reader.error("content after the JSON value");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        if (at >= text.length()) {
            throw error("a value is missing");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    yield number();
                }
                throw error("not a JSON value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> members = new LinkedHashMap<>();
        at++;
        whitespace();
        if (peek('}')) {
            at++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            whitespace();
            if (!peek('"')) {
                throw error("a member name must be a string");
            }
            String name = string();
            whitespace();
            expect(':');
            whitespace();
            Object value = value(depth + 1);
            if (members.putIfAbsent(name, value) != null) {
                throw error("a member name appears twice");
            }
            whitespace();
            if (peek(',')) {
                at++;
            } else {
                expect('}');
                return Collections.unmodifiableMap(members);
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> items = new ArrayList<>();
        at++;
        whitespace();
        if (peek(']')) {
            at++;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            whitespace();
            items.add(value(depth + 1));
            whitespace();
            if (peek(',')) {
                at++;
            } else {
                expect(']');
                return Collections.unmodifiableList(items);
            }
        }
    }

    private String string() {
        int start = at;
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw error("a control character in a string is not escaped");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("a string is not closed");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = at < text.length() ? hex(text.charAt(at)) : -1;
                        if (digit < 0) {
                            throw error("a \\u escape needs four hex digits");
                        }
                        code = code << 4 | digit;
                        at++;
                    }
                    out.append((char) code);
                }
                default -> throw error("an unknown escape");
            }
        }
        String value = out.toString();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                at = start;
                throw error("a string has an unpaired surrogate");
            }
        }
        return value;
    }

    private JsonNumber number() {
        int start = at;
        if (peek('-')) {
            at++;
        }
        if (peek('0')) {
            at++;
        } else if (digits() == 0) {
            throw error("not a number");
        }
        if (peek('.')) {
            at++;
            if (digits() == 0) {
                throw error("not a number");
            }
        }
        if (peek('e') || peek('E')) {
            at++;
            if (peek('+') || peek('-')) {
                at++;
            }
            if (digits() == 0) {
                throw error("not a number");
            }
        }
        return new JsonNumber(text.substring(start, at));
    }

    private int digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at - start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("not a JSON value");
        }
        at += word.length();
        return value;
    }

    private void whitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + at);
    }
}
