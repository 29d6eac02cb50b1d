package org.countersign.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The values that break parsers and checks: wrong JSON types, strings at and past their limits,
 * Unicode that is valid but unusual (or not valid at all), and numbers at the edges of int, long and
 * double. Each comes with a name for the report.
 */
final class OddValues {

    /** A value, and how the report names it. */
    record Odd(String name, JsonNode value, String rawJson) {

        Odd(String name, JsonNode value) {
            this(name, value, null);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Strings that are valid UTF-16 but unusual, or that a careless parser, log or database mishandles. */
    static final List<String[]> STRINGS = List.of(
            new String[] {"empty", ""},
            new String[] {"space", " "},
            new String[] {"tab", "\t"},
            new String[] {"lone high surrogate", "a\uD800b"},
            new String[] {"lone low surrogate", "\uDFFF"},
            new String[] {"NUL", "a\u0000b"},
            new String[] {"right-to-left override", "\u202Eabc"},
            new String[] {"combining marks", "e\u0301\u0301\u0301\u0301"},
            new String[] {"zero-width space", "ab\u200Bcd"},
            new String[] {"byte order mark", "\uFEFFabc"},
            new String[] {"emoji", "\uD83D\uDE00\uD83D\uDC4D"},
            new String[] {"pipe", "a|b"},
            new String[] {"line break", "a\nb"},
            new String[] {"dot segments", "../../etc/passwd"},
            new String[] {"percent NUL", "%00"},
            new String[] {"SQL", "' OR '1'='1"},
            new String[] {"lookup", "${jndi:ldap://127.0.0.1/x}"},
            new String[] {"markup", "<script>alert(1)</script>"},
            new String[] {"full-width digits", "\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16"},
            new String[] {"Arabic-Indic digits", "\u0661\u0662\u0663\u0664\u0665\u0666"},
            new String[] {"no-break space", "\u00A0"},
            new String[] {"dotted capital I", "\u0130stanbul"},
            new String[] {"36 dashes", "-".repeat(36)},
            new String[] {"Hangul filler", "\u3164"},
            new String[] {"private use", "\uE000\uF8FF"},
            new String[] {"noncharacter", "\uFFFF\uFFFE"});

    private OddValues() {
    }

    /** Odd values for a field of this schema (whatever its type: wrong types are the point). */
    static List<Odd> forSchema(ObjectNode schema) {
        List<Odd> odd = new ArrayList<>();
        odd.add(new Odd("null", NODES.nullNode()));
        odd.add(new Odd("true", NODES.booleanNode(true)));
        odd.add(new Odd("empty object", NODES.objectNode()));
        odd.add(new Odd("object", NODES.objectNode().put("a", 1)));
        odd.add(new Odd("empty array", NODES.arrayNode()));
        odd.add(new Odd("array", NODES.arrayNode().add("a")));
        odd.add(new Odd("deep array", NODES.textNode("x"), "[".repeat(10_000) + "]".repeat(10_000)));
        for (String[] s : STRINGS) {
            odd.add(new Odd(s[0], NODES.textNode(s[1])));
        }
        int maxLength = schema.path("maxLength").asInt(-1);
        if (maxLength >= 0) {
            odd.add(new Odd("maxLength+1 chars", NODES.textNode("a".repeat(maxLength + 1))));
            odd.add(new Odd("maxLength chars", NODES.textNode("a".repeat(maxLength))));
        }
        int minLength = schema.path("minLength").asInt(0);
        if (minLength > 0) {
            odd.add(new Odd("minLength-1 chars", NODES.textNode("a".repeat(minLength - 1))));
        }
        odd.add(new Odd("256 chars", NODES.textNode("a".repeat(256))));
        odd.add(new Odd("300 accented chars", NODES.textNode("\u00e9".repeat(300))));
        odd.add(new Odd("4 KiB", NODES.textNode("x".repeat(4096))));
        odd.add(new Odd("70 KB (past the body limit)", NODES.textNode("y".repeat(70_000))));
        odd.addAll(numbers(schema));
        if (schema.has("enum")) {
            String first = schema.get("enum").path(0).asText();
            odd.add(new Odd("enum value in other case", NODES.textNode(swapCase(first))));
            odd.add(new Odd("enum value with a space", NODES.textNode(first + " ")));
        }
        return odd;
    }

    static List<Odd> numbers(ObjectNode schema) {
        List<Odd> odd = new ArrayList<>();
        for (long n : new long[] {0, -1, 1, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L,
                Long.MAX_VALUE, Long.MIN_VALUE}) {
            odd.add(new Odd(Long.toString(n), NODES.numberNode(n)));
        }
        odd.add(new Odd("2^63", NODES.numberNode(BigInteger.ONE.shiftLeft(63))));
        odd.add(new Odd("-2^63-1", NODES.numberNode(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE))));
        odd.add(new Odd("400 digits", NODES.numberNode(new BigInteger("9".repeat(400)))));
        odd.add(new Odd("1e309", NODES.numberNode(new BigDecimal("1e309"))));
        odd.add(new Odd("-1e309", NODES.numberNode(new BigDecimal("-1e309"))));
        odd.add(new Odd("1e-400", NODES.numberNode(new BigDecimal("1e-400"))));
        odd.add(new Odd("0.5", NODES.numberNode(new BigDecimal("0.5"))));
        odd.add(new Odd("1.5", NODES.numberNode(new BigDecimal("1.5"))));
        odd.add(new Odd("-0.0", NODES.numberNode(-0.0d)));
        for (String token : new String[] {"NaN", "Infinity", "-Infinity", "01", "+1", ".5", "1.", "0x10"}) {
            odd.add(new Odd("literal " + token, NODES.textNode("x"), token));
        }
        if (schema.has("minimum")) {
            BigDecimal min = schema.get("minimum").decimalValue();
            odd.add(new Odd("minimum", NODES.numberNode(min)));
            odd.add(new Odd("minimum-1", NODES.numberNode(min.subtract(BigDecimal.ONE))));
        }
        if (schema.has("maximum")) {
            BigDecimal max = schema.get("maximum").decimalValue();
            odd.add(new Odd("maximum", NODES.numberNode(max)));
            odd.add(new Odd("maximum+1", NODES.numberNode(max.add(BigDecimal.ONE))));
        }
        odd.add(new Odd("numeric string", NODES.textNode("12")));
        return odd;
    }

    /** Query, path and header values: what a URL can carry, before percent-encoding. */
    static List<String[]> parameterValues(ObjectNode schema) {
        List<String[]> values = new ArrayList<>(STRINGS);
        for (String n : new String[] {"0", "-1", "2147483648", "-2147483649", "9223372036854775808", "1e309", "NaN",
                "1.5", " 1", "0x10", "abc"}) {
            values.add(new String[] {"'" + n + "'", n});
        }
        int maxLength = schema.path("maxLength").asInt(-1);
        if (maxLength >= 0) {
            values.add(new String[] {"maxLength+1 chars", "a".repeat(maxLength + 1)});
        }
        values.add(new String[] {"300 chars", "a".repeat(300)});
        if (schema.has("minimum")) {
            values.add(new String[] {"minimum-1", schema.get("minimum").decimalValue().subtract(BigDecimal.ONE).toPlainString()});
        }
        if (schema.has("maximum")) {
            values.add(new String[] {"maximum+1", schema.get("maximum").decimalValue().add(BigDecimal.ONE).toPlainString()});
        }
        if (schema.has("enum")) {
            String first = schema.get("enum").path(0).asText();
            values.add(new String[] {"enum value in other case", swapCase(first)});
        }
        return values;
    }

    private static String swapCase(String text) {
        String upper = text.toUpperCase(java.util.Locale.ROOT);
        return upper.equals(text) ? text.toLowerCase(java.util.Locale.ROOT) : upper;
    }
}
