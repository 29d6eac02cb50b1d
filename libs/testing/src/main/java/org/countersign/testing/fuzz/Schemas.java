package org.countersign.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.instancio.Random;

/**
 * The JSON schemas of an OpenAPI document: valid values drawn from them, and whether a value is
 * certain to be refused by what they document. "Certain" follows what the services run on: Bean
 * Validation's {@code @Pattern} (Java regular expressions, whole match), {@code @Size} (UTF-16
 * length), {@code @Min}/{@code @Max}, and Jackson's default coercions (a number is read into a string
 * field, a numeric string into a number field, a fraction into an integer field); anything unsure
 * counts as not refused.
 */
public final class Schemas {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final Pattern LITERAL_ALTERNATION = Pattern.compile("[A-Za-z0-9_-]+(\\|[A-Za-z0-9_-]+)*");

    private final JsonNode components;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    Schemas(JsonNode components) {
        this.components = components;
    }

    /** The schema with its {@code $ref} followed and its {@code allOf} merged in; never null. */
    public ObjectNode resolve(JsonNode schema) {
        ObjectNode merged = NODES.objectNode();
        mergeInto(merged, schema, 0);
        return merged;
    }

    private void mergeInto(ObjectNode target, JsonNode schema, int depth) {
        if (schema == null || !schema.isObject() || depth > 20) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            switch (field.getKey()) {
                case "$ref", "allOf" -> { }
                case "properties" -> {
                    ObjectNode properties = target.has("properties") ? (ObjectNode) target.get("properties") : target.putObject("properties");
                    field.getValue().fields().forEachRemaining(p -> properties.set(p.getKey(), p.getValue()));
                }
                case "required" -> {
                    Set<String> required = new LinkedHashSet<>();
                    target.path("required").forEach(r -> required.add(r.asText()));
                    field.getValue().forEach(r -> required.add(r.asText()));
                    ArrayNode list = target.putArray("required");
                    required.forEach(list::add);
                }
                default -> target.set(field.getKey(), field.getValue());
            }
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            ObjectNode siblings = target.deepCopy();
            mergeInto(target, components.path(name), depth + 1);
            // What stands beside a $ref (a description, a tighter constraint) describes this use of it.
            siblings.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("properties") && !f.getKey().equals("required")) {
                    target.set(f.getKey(), f.getValue());
                }
            });
        }
        for (JsonNode part : schema.path("allOf")) {
            mergeInto(target, part, depth + 1);
        }
    }

    /** string, integer, number, boolean, array or object; inferred when the document leaves it out. */
    public static String type(ObjectNode schema) {
        if (schema.hasNonNull("type")) {
            return schema.get("type").asText();
        }
        if (schema.has("enum")) {
            JsonNode first = schema.get("enum").path(0);
            return first.isNumber() ? "number" : first.isBoolean() ? "boolean" : "string";
        }
        if (schema.has("properties")) {
            return "object";
        }
        if (schema.has("items")) {
            return "array";
        }
        return "string";
    }

    public ObjectNode property(ObjectNode objectSchema, String name) {
        JsonNode property = objectSchema.path("properties").get(name);
        if (property != null) {
            return resolve(property);
        }
        JsonNode additional = objectSchema.get("additionalProperties");
        return additional != null && additional.isObject() ? resolve(additional) : resolve(null);
    }

    public static boolean required(ObjectNode objectSchema, String name) {
        for (JsonNode r : objectSchema.path("required")) {
            if (r.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an object of this schema takes fields it does not declare (a map), rather than refusing them. */
    public static boolean allowsUnknownFields(ObjectNode objectSchema) {
        JsonNode additional = objectSchema.get("additionalProperties");
        if (additional != null) {
            return !additional.isBoolean() || additional.asBoolean();
        }
        return !objectSchema.has("properties");
    }

    public ObjectNode items(ObjectNode arraySchema) {
        return resolve(arraySchema.get("items"));
    }

    // ---------------------------------------------------------------------------------------------
    // Valid values

    /** A value the schema documents as valid, as far as the fuzzer can tell. */
    public JsonNode validValue(ObjectNode schema, Random random, int depth) {
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(random.intRange(0, schema.get("enum").size() - 1));
        }
        return switch (type(schema)) {
            case "integer" -> NODES.numberNode(BigInteger.valueOf(validInteger(schema, random)));
            case "number" -> NODES.numberNode(BigDecimal.valueOf(validInteger(schema, random)));
            case "boolean" -> NODES.booleanNode(random.trueOrFalse());
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int min = Math.max(schema.path("minItems").asInt(0), 1);
                int max = Math.max(min, Math.min(schema.path("maxItems").asInt(min + 2), min + 2));
                int size = depth > 4 ? min : random.intRange(min, max);
                ObjectNode items = items(schema);
                for (int i = 0; i < size; i++) {
                    array.add(validValue(items, random, depth + 1));
                }
                yield array;
            }
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                for (Iterator<String> names = schema.path("properties").fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (required(schema, name) || (depth < 4 && random.trueOrFalse())) {
                        object.set(name, validValue(property(schema, name), random, depth + 1));
                    }
                }
                yield object;
            }
            default -> NODES.textNode(validString(schema, random));
        };
    }

    long validInteger(ObjectNode schema, Random random) {
        long min = schema.has("minimum") ? schema.get("minimum").asLong() : 0;
        long max = schema.has("maximum") ? schema.get("maximum").asLong() : min + 1000;
        if (schema.path("exclusiveMinimum").asBoolean(false)) {
            min++;
        }
        if (schema.path("exclusiveMaximum").asBoolean(false)) {
            max--;
        }
        if (max < min) {
            return min;
        }
        return random.longRange(min, Math.min(max, min + 1000));
    }

    /**
     * A string the schema accepts: a few shapes of identifier are tried against its pattern and
     * lengths, then its example; each valid value is fresh, so it names nothing that exists.
     */
    public String validString(ObjectNode schema, Random random) {
        String format = schema.path("format").asText("");
        switch (format) {
            case "date-time" -> {
                return "2026-01-0" + random.intRange(1, 9) + "T10:00:00Z";
            }
            case "date" -> {
                return "2026-01-0" + random.intRange(1, 9);
            }
            case "uuid" -> {
                return uuid(random);
            }
            default -> { }
        }
        String pattern = schema.path("pattern").asText(null);
        if (pattern != null && LITERAL_ALTERNATION.matcher(pattern).matches()) {
            return random.oneOf(pattern.split("\\|"));
        }
        int min = schema.path("minLength").asInt(0);
        int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        List<String> candidates = new ArrayList<>();
        for (int length : new int[] {random.intRange(8, 16), 6, 8, 4, 10, 12, 16, 32, 64, 1}) {
            int n = Math.max(min, Math.min(max, length));
            if (n <= 0) {
                continue;
            }
            candidates.add(random.alphanumeric(n));
            candidates.add(random.lowerCaseAlphabetic(n));
            candidates.add(random.digits(n));
            candidates.add(hex(random, n + (n % 2)));
        }
        candidates.add(uuid(random));
        List<String> fitting = candidates.stream().filter(c -> !violatesText(schema, c)).toList();
        if (!fitting.isEmpty()) {
            return random.oneOf(fitting);
        }
        for (String field : List.of("example", "default")) {
            if (schema.hasNonNull(field) && !violatesText(schema, schema.get(field).asText())) {
                return schema.get(field).asText();
            }
        }
        return candidates.get(0);
    }

    static String uuid(Random random) {
        return new UUID(random.longRange(Long.MIN_VALUE, Long.MAX_VALUE), random.longRange(Long.MIN_VALUE, Long.MAX_VALUE))
                .toString();
    }

    private static String hex(Random random, int length) {
        return random.stringOf(length, "0123456789abcdef".toCharArray());
    }

    // ---------------------------------------------------------------------------------------------
    // Certain refusals

    /** Whether a JSON body value is certain to be refused where this schema is documented. */
    public boolean violates(ObjectNode schema, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        String type = type(schema);
        if (schema.has("enum")) {
            // Jackson reads a number into an enum by its position: only a text is certainly refused.
            return value.isTextual() ? !nearEnum(schema.get("enum"), value.textValue()) : value.isContainerNode();
        }
        switch (type) {
            case "string" -> {
                if (value.isContainerNode()) {
                    return true;
                }
                return violatesText(schema, value.isTextual() ? value.textValue() : value.asText());
            }
            case "integer", "number" -> {
                if (value.isContainerNode()) {
                    return true;
                }
                BigDecimal number;
                if (value.isNumber()) {
                    number = value.decimalValue();
                } else if (value.isTextual()) {
                    String text = value.textValue().trim();
                    if (text.isEmpty()) {
                        return false;
                    }
                    try {
                        number = new BigDecimal(text);
                    } catch (NumberFormatException e) {
                        return true;
                    }
                } else {
                    return false;
                }
                return violatesNumber(schema, type.equals("integer") ? number.setScale(0, RoundingMode.DOWN) : number);
            }
            case "boolean" -> {
                return value.isContainerNode();
            }
            case "array" -> {
                if (!value.isArray()) {
                    return true;
                }
                if (value.size() < schema.path("minItems").asInt(0)
                        || value.size() > schema.path("maxItems").asInt(Integer.MAX_VALUE)) {
                    return true;
                }
                ObjectNode items = items(schema);
                for (JsonNode item : value) {
                    if (violates(items, item)) {
                        return true;
                    }
                }
                return false;
            }
            case "object" -> {
                if (value.isArray()) {
                    return true;
                }
                if (!value.isObject()) {
                    return false;
                }
                for (JsonNode r : schema.path("required")) {
                    JsonNode field = value.get(r.asText());
                    if (field == null || field.isNull()) {
                        return true;
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!schema.path("properties").has(field.getKey())) {
                        if (!allowsUnknownFields(schema)) {
                            return true;
                        }
                    } else if (violates(property(schema, field.getKey()), field.getValue())) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** Whether a path, query or header parameter is certain to be refused (JAX-RS converts these without Jackson). */
    public boolean violatesParameter(ObjectNode schema, String text) {
        if (schema.has("enum")) {
            return !nearEnum(schema.get("enum"), text);
        }
        String type = type(schema);
        if (type.equals("integer") || type.equals("number")) {
            // A service may read a blank number as absent, and trim one (visual-codes does both).
            if (text.isBlank()) {
                return false;
            }
            BigDecimal number;
            try {
                number = type.equals("integer") ? new BigDecimal(new BigInteger(text.trim())) : new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                return true;
            }
            return violatesNumber(schema, number);
        }
        if (type.equals("boolean")) {
            return false;
        }
        return violatesText(schema, text);
    }

    private static boolean violatesNumber(ObjectNode schema, BigDecimal number) {
        String format = schema.path("format").asText("");
        if (format.equals("int32") || format.equals("int64")) {
            boolean int32 = format.equals("int32");
            if (number.compareTo(int32 ? INT_MIN : LONG_MIN) < 0 || number.compareTo(int32 ? INT_MAX : LONG_MAX) > 0) {
                return true;
            }
        }
        if (schema.has("minimum")) {
            int c = number.compareTo(schema.get("minimum").decimalValue());
            if (c < 0 || (c == 0 && schema.path("exclusiveMinimum").asBoolean(false))) {
                return true;
            }
        }
        if (schema.has("maximum")) {
            int c = number.compareTo(schema.get("maximum").decimalValue());
            return c > 0 || (c == 0 && schema.path("exclusiveMaximum").asBoolean(false));
        }
        return false;
    }

    boolean violatesText(ObjectNode schema, String text) {
        if (schema.has("enum")) {
            return !nearEnum(schema.get("enum"), text);
        }
        if (text.length() < schema.path("minLength").asInt(0) || text.length() > schema.path("maxLength").asInt(Integer.MAX_VALUE)) {
            return true;
        }
        String pattern = schema.path("pattern").asText(null);
        if (pattern == null) {
            return false;
        }
        Pattern compiled = patterns.computeIfAbsent(pattern, p -> {
            try {
                return Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                return null;
            }
        });
        return compiled != null && !compiled.matcher(text).matches();
    }

    /**
     * Whether a text is, or could be read as, one of the values: a service may match them without
     * regard to case and space, and take a blank for its default (visual-codes does, and says so).
     */
    private static boolean nearEnum(JsonNode values, String text) {
        if (text.isBlank()) {
            return true;
        }
        for (JsonNode v : values) {
            if (v.asText().equalsIgnoreCase(text.trim())) {
                return true;
            }
        }
        return false;
    }
}
