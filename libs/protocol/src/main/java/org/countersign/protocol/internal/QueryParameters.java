package org.countersign.protocol.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.countersign.protocol.MalformedMessageException;

/**
 * The parameters of a protocol.md URI, read strictly: any order, each at most once, {@code v}
 * exactly {@code 1}, values percent-decoded as UTF-8 with {@code +} a literal plus. Characters
 * outside an RFC 3986 query, a fragment, a {@code %} without two hex digits, and bytes that are
 * not UTF-8 are refused rather than guessed at.
 */
public final class QueryParameters {

    private final String what;
    private final Map<String, String> values;

    private QueryParameters(String what, Map<String, String> values) {
        this.what = what;
        this.values = values;
    }

    /**
     * A protocol.md URI: the exact prefix, then the parameters, with {@code v} exactly {@code 1}.
     *
     * @param prefix the exact scheme, host and {@code ?}, e.g. {@code countersign://activate?}
     * @param what a name for error messages, e.g. {@code activation message 1}
     */
    public static QueryParameters parse(String uri, String prefix, String what) {
        if (uri == null || !uri.startsWith(prefix)) {
            throw new MalformedMessageException(what + ": not a " + prefix + " URI");
        }
        QueryParameters parameters = parseQuery(uri.substring(prefix.length()), what);
        if (!"1".equals(parameters.values.get("v"))) {
            throw new MalformedMessageException(what + ": v must be 1");
        }
        return parameters;
    }

    /**
     * The query alone (what follows {@code ?}), with the same rules but no {@code v}: for URIs that
     * are not protocol.md's own, such as {@code otpauth://}.
     */
    public static QueryParameters parseQuery(String query, String what) {
        Map<String, String> values = new HashMap<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new MalformedMessageException(what + ": a parameter is not name=value");
            }
            String name = decode(pair.substring(0, eq), what);
            String value = decode(pair.substring(eq + 1), what);
            if (values.put(name, value) != null) {
                throw new MalformedMessageException(what + ": parameter " + printable(name) + " appears more than once");
            }
        }
        return new QueryParameters(what, values);
    }

    /** @throws MalformedMessageException when the parameter is absent */
    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new MalformedMessageException(what + ": parameter " + name + " is missing");
        }
        return value;
    }

    /** @return the value, or null when absent or empty */
    public String optional(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * Percent-decodes RFC 3986 text as UTF-8 ({@code +} is a literal plus). Characters outside an
     * RFC 3986 query must be percent-encoded.
     *
     * @throws MalformedMessageException for a bad escape, a character that must be encoded, or bytes that are not UTF-8
     */
    public static String decode(String text, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0 || !isAsciiHex(text.charAt(i + 1)) || !isAsciiHex(text.charAt(i + 2))) {
                    throw new MalformedMessageException(what + ": bad percent-encoding");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (isQueryChar(c)) {
                bytes.write(c);
            } else {
                throw new MalformedMessageException(what + ": a character must be percent-encoded");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedMessageException(what + ": a value is not UTF-8");
        }
    }

    private static boolean isAsciiHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** RFC 3986 query characters (pchar, "/" and "?"), less "&" which separates and "%" handled above. */
    private static boolean isQueryChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || "-._~!$'()*+,;=:@/?".indexOf(c) >= 0;
    }

    /** Only a short, id-like name is echoed, so an error never carries arbitrary input. */
    private static String printable(String name) {
        return Fields.isId(name) && name.length() <= 16 ? name : "(unprintable)";
    }
}
