package org.countersign.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.countersign.testing.fuzz.ApiDescription.Operation;
import org.countersign.testing.fuzz.ApiDescription.Parameter;
import org.countersign.testing.fuzz.OddValues.Odd;
import org.instancio.Instancio;
import org.instancio.Random;
import org.instancio.Select;
import org.instancio.generator.AfterGenerate;
import org.instancio.generator.Generator;
import org.instancio.generator.Hints;

/**
 * Draws fuzz cases: an operation of the API, a valid request for it built from its schemas, then one
 * to three edits that break it in the ways listed in {@link Category}. Every case has a seed of its
 * own, derived from the run's seed and its index, so that any one case can be drawn again alone.
 *
 * <p>A case for an operation that writes (anything but GET) always carries at least one edit that is
 * certain to be refused, so that the fuzzer never makes a valid write: with that, no table may
 * change, and a changed table is a bug rather than a side effect of the fuzzing.
 */
public final class RequestGenerator {

    /**
     * The tokens a case may carry.
     *
     * @param valid the service's scope, in the usual domain
     * @param admin the admin scope
     * @param otherDomain the service's scope, in another domain
     * @param wrongScope another service's scope only
     * @param noDomain the service's scope, without a domain claim
     * @param expired expired an hour ago
     * @param stranger signed by a key the service does not trust
     */
    public record Tokens(String valid, String admin, String otherDomain, String wrongScope, String noDomain,
                         String expired, String stranger) {
    }

    /**
     * The body limits the service documents (docs/problems.md, payload-too-large).
     *
     * @param uploadPaths where uploadLimit applies instead of bodyLimit
     */
    public record Limits(long bodyLimit, long uploadLimit, Set<String> uploadPaths) {

        long forPath(String path) {
            return uploadPaths.contains(path) ? uploadLimit : bodyLimit;
        }
    }

    /** The ways a request is broken; each case uses a category at most once. */
    enum Category { BODY_VALUE, BODY_BYTES, TOKEN, PATH, QUERY, HEADERS, CONTENT_TYPE, ACCEPT, METHOD, FRAMING }

    /** The share of writes, in percent, sent without an edit certain to be refused. */
    static final int WRITE_PROBE_PERCENT = 5;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static final Map<Category, Integer> WEIGHTS = new EnumMap<>(Map.of(
            Category.BODY_VALUE, 30, Category.BODY_BYTES, 14, Category.TOKEN, 12, Category.PATH, 12,
            Category.QUERY, 10, Category.CONTENT_TYPE, 8, Category.HEADERS, 5, Category.ACCEPT, 4,
            Category.METHOD, 4, Category.FRAMING, 5));

    private final ApiDescription api;
    private final Schemas schemas;
    private final Tokens tokens;
    private final Limits limits;

    public RequestGenerator(ApiDescription api, Tokens tokens, Limits limits) {
        this.api = api;
        this.schemas = api.schemas();
        this.tokens = tokens;
        this.limits = limits;
    }

    /** The body limit that applies to a case's path. */
    public long bodyLimit(FuzzCase fuzzCase) {
        return limits.forPath(fuzzCase.operation().path());
    }

    /** Case {@code index} of the run with this seed; the same arguments always give the same case. */
    public FuzzCase generate(long seed, int index) {
        return withRandom(new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L)).nextLong(), this::draw);
    }

    /** A valid request for the operation, before any edit. */
    FuzzCase valid(Operation operation, long seed) {
        return withRandom(seed, random -> valid(operation, random));
    }

    /** Runs {@code draw} with Instancio's random source, seeded. */
    private static FuzzCase withRandom(long seed, Function<Random, FuzzCase> draw) {
        Generator<FuzzCase> generator = new Generator<>() {
            @Override
            public FuzzCase generate(Random random) {
                return draw.apply(random);
            }

            @Override
            public Hints hints() {
                return Hints.afterGenerate(AfterGenerate.DO_NOT_MODIFY);
            }
        };
        return Instancio.of(FuzzCase.class).withSeed(seed).supply(Select.root(), generator).create();
    }

    FuzzCase draw(Random random) {
        Operation operation = random.oneOf(api.operations());
        FuzzCase fuzzCase = valid(operation, random);
        // A few writes go without a certain refusal, to reach the service's own logic with odd but
        // valid input; the test snapshots the tables around each of these, so that what they write
        // is allowed only when the service accepted them.
        fuzzCase.writeProbe = !operation.safe() && random.intRange(1, 100) <= WRITE_PROBE_PERCENT;
        List<Edit> edits = new ArrayList<>();
        List<Category> categories = applicable(fuzzCase);
        int roll = random.intRange(1, 20);
        int count = roll <= 9 ? 1 : roll <= 16 ? 2 : 3;
        for (int i = 0; i < count && !categories.isEmpty(); i++) {
            Category category = weighted(categories, random);
            categories.remove(category);
            Edit edit = edit(category, fuzzCase, random, false);
            if (edit != null) {
                edits.add(edit);
            }
        }
        if (!operation.safe() && !fuzzCase.writeProbe && edits.stream().noneMatch(Edit::refuses)) {
            // A write must be refused: add an edit that makes sure of it, from a category not used yet.
            while (!categories.isEmpty()) {
                Category category = weighted(categories, random);
                categories.remove(category);
                Edit edit = edit(category, fuzzCase, random, true);
                if (edit != null) {
                    edits.add(edit);
                    break;
                }
            }
        }
        edits.sort(Comparator.comparing(Edit::stage));
        edits.forEach(fuzzCase::apply);
        if (!operation.safe() && !fuzzCase.writeProbe && !fuzzCase.mustBeRefused(bodyLimit(fuzzCase))) {
            // The body edits were undone by a later one (an empty body that the operation allows): refuse at the door.
            Edit refusal = edit(Category.TOKEN, fuzzCase, random, true);
            fuzzCase.apply(refusal != null ? refusal : edit(Category.FRAMING, fuzzCase, random, true));
        }
        return fuzzCase;
    }

    // ---------------------------------------------------------------------------------------------
    // The valid request

    FuzzCase valid(Operation operation, Random random) {
        FuzzCase fuzzCase = new FuzzCase(operation);
        for (Parameter p : operation.parameters("path")) {
            fuzzCase.pathValues.put(p.name(), Urls.encode(schemas.validString(p.schema(), random)));
        }
        for (Parameter p : operation.parameters("query")) {
            if (p.required() || random.intRange(1, 4) == 1) {
                fuzzCase.query.add(Urls.encode(p.name()) + "=" + Urls.encode(validParameter(p, random)));
            }
        }
        for (Parameter p : operation.parameters("header")) {
            if (p.required() || random.intRange(1, 4) == 1) {
                fuzzCase.setHeader(p.name(), validParameter(p, random));
            }
        }
        fuzzCase.setHeader("Authorization", "Bearer " + (random.intRange(1, 10) <= 7 ? tokens.valid() : tokens.admin()));
        String accept = random.oneOf(null, null, "*/*");
        fuzzCase.setHeader("Accept", accept);
        ApiDescription.Body body = operation.body();
        if (body != null) {
            if (body.isJson()) {
                fuzzCase.setHeader("Content-Type", body.mediaTypes().stream().filter(ApiDescription::isJson).findFirst().orElseThrow());
                fuzzCase.json = schemas.validValue(body.jsonSchema(), random, 0);
            } else {
                fuzzCase.setHeader("Content-Type", random.oneOf(body.mediaTypes()));
                fuzzCase.apply(garbageDocument(random));
            }
        }
        return fuzzCase;
    }

    private String validParameter(Parameter p, Random random) {
        JsonNode value = schemas.validValue(p.schema(), random, 0);
        return value.asText();
    }

    /** The only "valid" body an operation that takes a document or an image gets: never a valid one. */
    private Edit garbageDocument(Random random) {
        byte[][] documents = {
            new byte[0],
            randomBytes(random, random.intRange(1, 2048)),
            "<x/>".getBytes(StandardCharsets.UTF_8),
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    .concat("<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]><x>&c;&c;&c;&c;</x>").getBytes(StandardCharsets.UTF_8),
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><x>&e;</x>"
                    .getBytes(StandardCharsets.UTF_8),
            concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, randomBytes(random, 64)),
            concat(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0}, randomBytes(random, 64)),
            "{\"message\":\"not an image\"}".getBytes(StandardCharsets.UTF_8),
        };
        int which = random.intRange(0, documents.length - 1);
        byte[] document = documents[which];
        return new Edit("garbage document #" + which + " (" + document.length + " bytes)", Edit.Stage.BODY_BYTES,
                true, true, c -> {
                    c.json = null;
                    c.bytes = document;
                });
    }

    // ---------------------------------------------------------------------------------------------
    // Choosing edits

    private List<Category> applicable(FuzzCase fuzzCase) {
        Operation operation = fuzzCase.operation();
        List<Category> categories = new ArrayList<>(List.of(Category.TOKEN, Category.QUERY, Category.HEADERS,
                Category.ACCEPT, Category.METHOD, Category.CONTENT_TYPE, Category.FRAMING));
        if (!operation.parameters("path").isEmpty()) {
            categories.add(Category.PATH);
        }
        if (operation.body() != null) {
            categories.add(Category.BODY_BYTES);
            if (operation.body().isJson()) {
                categories.add(Category.BODY_VALUE);
            }
        }
        return categories;
    }

    private static Category weighted(List<Category> categories, Random random) {
        int total = categories.stream().mapToInt(WEIGHTS::get).sum();
        int roll = random.intRange(1, total);
        for (Category category : categories) {
            roll -= WEIGHTS.get(category);
            if (roll <= 0) {
                return category;
            }
        }
        return categories.get(categories.size() - 1);
    }

    /** An edit of the category, or null when none fits (or none that is certain to be refused, when asked for one). */
    Edit edit(Category category, FuzzCase fuzzCase, Random random, boolean mustRefuse) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Edit edit = switch (category) {
                case BODY_VALUE -> bodyValueEdit(fuzzCase, random);
                case BODY_BYTES -> bodyBytesEdit(fuzzCase, random);
                case TOKEN -> fuzzCase.operation().secured() || !mustRefuse ? tokenEdit(random, mustRefuse) : null;
                case PATH -> pathEdit(fuzzCase, random, mustRefuse);
                case QUERY -> queryEdit(fuzzCase, random, mustRefuse);
                case HEADERS -> headerEdit(fuzzCase, random, mustRefuse);
                case CONTENT_TYPE -> contentTypeEdit(fuzzCase, random);
                case ACCEPT -> mustRefuse ? null : acceptEdit(random);
                case METHOD -> methodEdit(fuzzCase, random, mustRefuse);
                case FRAMING -> framingEdit(fuzzCase, random, mustRefuse);
            };
            if (edit == null || !mustRefuse || edit.refuses()) {
                return edit;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // The body, as JSON

    /** A place in the body: a field of an object (present or not) or an element of an array. */
    private record Slot(String path, ObjectNode container, ArrayNode array, String field, int index,
                        ObjectNode schema, boolean required) {
    }

    private Edit bodyValueEdit(FuzzCase fuzzCase, Random random) {
        ObjectNode rootSchema = fuzzCase.operation().body().jsonSchema();
        List<Slot> slots = new ArrayList<>();
        List<Slot> objects = new ArrayList<>();
        collect(fuzzCase.json, rootSchema, "body", slots, objects);
        int kind = random.intRange(1, 10);
        if (kind <= 6 && !slots.isEmpty()) {
            Slot slot = random.oneOf(slots);
            List<Odd> odd = OddValues.forSchema(slot.schema());
            Odd value = random.oneOf(odd);
            // Raw text (NaN, 01, 10,000 nested arrays) is not JSON that Jackson reads with its defaults.
            boolean refuses = value.rawJson() != null
                    || schemas.violates(slot.schema(), value.value()) || (value.value().isNull() && slot.required());
            return new Edit(slot.path() + " = " + value.name(), Edit.Stage.BODY_VALUE, refuses, false, c -> {
                JsonNode node = value.rawJson() != null ? NODES.textNode(c.rawValue(value.rawJson())) : value.value().deepCopy();
                if (slot.array() != null) {
                    slot.array().set(slot.index(), node);
                } else {
                    slot.container().set(slot.field(), node);
                }
            });
        }
        if (kind <= 8 && slots.stream().anyMatch(s -> s.array() == null && s.container().has(s.field()))) {
            List<Slot> present = slots.stream().filter(s -> s.array() == null && s.container().has(s.field())).toList();
            Slot slot = random.oneOf(present);
            return new Edit("without " + slot.path(), Edit.Stage.BODY_VALUE, slot.required(), false,
                    c -> slot.container().remove(slot.field()));
        }
        if (objects.isEmpty()) {
            return null;
        }
        Slot object = random.oneOf(objects);
        String name = random.oneOf("colour", "userid", "extra", "__proto__", "", "\u0000", "a".repeat(300));
        return new Edit("unknown field in " + object.path(), Edit.Stage.BODY_VALUE,
                !Schemas.allowsUnknownFields(object.schema()) && !object.schema().path("properties").has(name), false,
                c -> object.container().put(name, "x"));
    }

    private void collect(JsonNode node, ObjectNode schema, String path, List<Slot> slots, List<Slot> objects) {
        if (node instanceof ObjectNode object && Schemas.type(schema).equals("object")) {
            objects.add(new Slot(path, object, null, null, -1, schema, false));
            for (Iterator<String> names = schema.path("properties").fieldNames(); names.hasNext(); ) {
                String name = names.next();
                ObjectNode property = schemas.property(schema, name);
                slots.add(new Slot(path + "." + name, object, null, name, -1, property, Schemas.required(schema, name)));
                if (object.has(name)) {
                    collect(object.get(name), property, path + "." + name, slots, objects);
                }
            }
        } else if (node instanceof ArrayNode array && Schemas.type(schema).equals("array")) {
            ObjectNode items = schemas.items(schema);
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(path + "[" + i + "]", null, array, null, i, items, true));
                collect(array.get(i), items, path + "[" + i + "]", slots, objects);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The body, as bytes

    private Edit bodyBytesEdit(FuzzCase fuzzCase, Random random) {
        boolean json = fuzzCase.operation().body().isJson();
        boolean required = fuzzCase.operation().body().required();
        int kind = random.intRange(1, 16);
        return switch (kind) {
            case 1 -> bytes("truncated", true, false, (c, b) -> Arrays.copyOf(b, b.length <= 1 ? 0 : random.intRange(1, b.length - 1)));
            case 2 -> {
                byte[][] invalid = {{(byte) 0xff}, {(byte) 0xc3, '('}, {(byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80,
                        (byte) 0x80, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}};
                int which = random.intRange(0, invalid.length - 1);
                // A surrogate encoded in UTF-8 (ED A0 80) and an overlong '/' (C0 AF) are not UTF-8, but
                // lenient decoders pass them: only the first four are certain to be refused.
                yield bytes("invalid UTF-8 " + hex(invalid[which]) + " in a string", which < 4, false,
                        (c, b) -> insertAfterFirstQuote(b, invalid[which]));
            }
            case 3 -> bytes("trailing garbage", false, false, (c, b) -> concat(b, " }{\u0000".getBytes(StandardCharsets.UTF_8)));
            case 4 -> bytes("byte order mark", false, false, (c, b) -> concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, b));
            case 5 -> bytes("trailing comma", json, false, (c, b) -> {
                int end = lastIndexOf(b, (byte) '}');
                return end < 0 ? concat(b, ",".getBytes(StandardCharsets.UTF_8)) : splice(b, end, ",".getBytes(StandardCharsets.UTF_8));
            });
            case 6 -> bytes("comment", json, false, (c, b) -> concat("/* c */".getBytes(StandardCharsets.UTF_8), b));
            case 7 -> bytes("single quotes", json && indexOf(fuzzCase.body(), (byte) '"') >= 0, false,
                    (c, b) -> singleQuotes(b));
            case 8 -> bytes("duplicate key first", false, false, (c, b) -> duplicateFirstKey(c, b));
            case 9 -> replace("10,000 nested arrays", true, "[".repeat(10_000) + "]".repeat(10_000));
            case 10 -> replace("10,000 nested objects", true, "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
            case 11 -> replace("null", required, "null");
            case 12 -> replace("empty", required, "");
            case 13 -> replace("white space only", required, " \r\n\t ");
            case 14 -> replace("an array", json && Schemas.type(fuzzCase.operation().body().jsonSchema()).equals("object"), "[]");
            case 15 -> replace(random.oneOf("a string", "a number", "true"), false, random.oneOf("\"text\"", "42", "true"));
            default -> bytes("UTF-16", false, false, (c, b) -> new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16));
        };
    }

    private interface BytesChange {
        byte[] change(FuzzCase fuzzCase, byte[] body);
    }

    private static Edit bytes(String label, boolean refuses, boolean replaces, BytesChange change) {
        return new Edit("body " + label, Edit.Stage.BODY_BYTES, refuses, replaces, c -> {
            byte[] body = c.freezeBody();
            c.bytes = change.change(c, body == null ? new byte[0] : body);
        });
    }

    private static Edit replace(String label, boolean refuses, String body) {
        return new Edit("body replaced by " + label, Edit.Stage.BODY_BYTES, refuses, true, c -> {
            c.json = null;
            c.bytes = body.getBytes(StandardCharsets.UTF_8);
        });
    }

    /**
     * The first string in single quotes, which JSON refuses. An earlier edit of the same case may have
     * left no string at all (an object emptied of its only field: {@code {}}); then a single-quoted key
     * goes in, so that the edit still refuses what it was chosen to refuse.
     */
    static byte[] singleQuotes(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.indexOf('"') >= 0) {
            return text.replaceFirst("\"", "'").replaceFirst("\"", "'").getBytes(StandardCharsets.UTF_8);
        }
        int open = text.indexOf('{');
        String quoted = open < 0 ? "'" + text + "'"
                : text.substring(0, open + 1) + "'k':1" + (text.substring(open + 1).trim().startsWith("}") ? "" : ",")
                        + text.substring(open + 1);
        return quoted.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] duplicateFirstKey(FuzzCase fuzzCase, byte[] body) {
        // The copy comes first, so that the original (read last) is what Jackson keeps.
        if (fuzzCase.json instanceof ObjectNode object && object.size() > 0 && body.length > 0 && body[0] == '{') {
            String key = object.fieldNames().next();
            byte[] copy = ("{\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\":[1,{}],").getBytes(StandardCharsets.UTF_8);
            return concat(copy, Arrays.copyOfRange(body, 1, body.length));
        }
        return body;
    }

    // ---------------------------------------------------------------------------------------------
    // The rest of the request

    Edit tokenEdit(Random random, boolean mustRefuse) {
        int kind = mustRefuse ? random.oneOf(1, 2, 3, 4, 5, 7) : random.intRange(1, 13);
        return switch (kind) {
            case 1 -> Edit.request("no token", true, c -> c.setHeader("Authorization", null));
            case 2 -> Edit.request("expired token", true, c -> c.setHeader("Authorization", "Bearer " + tokens.expired()));
            case 3 -> Edit.request("token from an untrusted key", true, c -> c.setHeader("Authorization", "Bearer " + tokens.stranger()));
            case 4 -> Edit.request("token with a changed signature", true,
                    c -> c.setHeader("Authorization", "Bearer " + changeSignature(tokens.valid())));
            case 5 -> Edit.request("garbage token", true,
                    c -> c.setHeader("Authorization", random.oneOf("Bearer not.a.token", "Bearer ", "Bearer", "Basic dXNlcjpwYXNz",
                            "Bearer " + "a".repeat(12_000), "Bearer \u00ff\u00fe")));
            case 6 -> Edit.request("token of another scope", false, c -> c.setHeader("Authorization", "Bearer " + tokens.wrongScope()));
            case 7 -> Edit.request("none token (alg none)", true, c -> c.setHeader("Authorization", "Bearer " + algNone(tokens.valid())));
            case 8 -> Edit.request("token of another domain", false, c -> c.setHeader("Authorization", "Bearer " + tokens.otherDomain()));
            case 9 -> Edit.request("token without a domain", false, c -> c.setHeader("Authorization", "Bearer " + tokens.noDomain()));
            case 10 -> Edit.request("admin token", false, c -> c.setHeader("Authorization", "Bearer " + tokens.admin()));
            case 11 -> Edit.request("lower-case scheme", false, c -> c.setHeader("Authorization", "bearer " + tokens.valid()));
            default -> Edit.request("a second Authorization header", false,
                    c -> c.headers.add(new String[] {"Authorization", "Bearer not.a.token"}));
        };
    }

    private Edit pathEdit(FuzzCase fuzzCase, Random random, boolean mustRefuse) {
        Parameter parameter = random.oneOf(fuzzCase.operation().parameters("path"));
        int kind = random.intRange(1, mustRefuse ? 2 : 5);
        if (kind == 1 && random.intRange(1, 3) > 1) {
            // Refused by the decoder (414) before anything else runs: worth a few cases, not many.
            kind = 2;
        }
        String name = parameter.name();
        return switch (kind) {
            case 1 -> Edit.request("path " + name + " of 10 KB", true, c -> c.pathValues.put(name, random.alphanumeric(10_240)));
            case 2, 3 -> {
                String[] odd = random.oneOf(OddValues.parameterValues(parameter.schema()));
                String decoded = odd[1];
                String received = Urls.roundTrip(decoded);
                boolean refuses = !received.isEmpty() && !received.contains("/") && !received.equals(".") && !received.equals("..")
                        && schemas.violatesParameter(parameter.schema(), received);
                yield Edit.request("path " + name + " = " + odd[0], refuses, c -> c.pathValues.put(name, Urls.encode(decoded)));
            }
            default -> {
                String[] raw = random.oneOf(
                        new String[] {".", "."}, new String[] {"..", ".."}, new String[] {"encoded ..", "%2e%2e"},
                        new String[] {"encoded slash", "a%2Fb"}, new String[] {"slash", "a/b"}, new String[] {"empty", ""},
                        new String[] {"matrix parameter", "a;b=c"}, new String[] {"lone %", "%"}, new String[] {"bad escape", "%zz"},
                        new String[] {"invalid UTF-8", "%C3%28"}, new String[] {"encoded surrogate", "%ED%A0%80"},
                        new String[] {"byte FF", "%FF"}, new String[] {"overlong slash", "%C0%AF"},
                        new String[] {"raw non-ASCII byte", "caf\u00e9"}, new String[] {"dot segments", "..%2F..%2Fwhoami"},
                        new String[] {"double encoding", "%252e%252e"}, new String[] {"backslash", "a%5Cb"},
                        new String[] {"trailing slash", random.alphanumeric(8) + "/"});
                yield Edit.request("path " + name + " " + raw[0], false, c -> c.pathValues.put(name, raw[1]));
            }
        };
    }

    private Edit queryEdit(FuzzCase fuzzCase, Random random, boolean mustRefuse) {
        List<Parameter> declared = fuzzCase.operation().parameters("query");
        int kind = mustRefuse ? random.oneOf(1, 3, 3, 3) : random.intRange(1, 6);
        return switch (kind) {
            case 1 -> Edit.request("query of 5 KB", true, c -> c.query.add("q=" + random.alphanumeric(5_000)));
            case 2 -> Edit.request("query of 3 KB", false, c -> c.query.add("q=" + random.alphanumeric(3_000)));
            case 3 -> {
                if (declared.isEmpty()) {
                    yield null;
                }
                Parameter parameter = random.oneOf(declared);
                if (parameter.required() && random.trueOrFalse()) {
                    String prefix = Urls.encode(parameter.name()) + "=";
                    yield Edit.request("without query " + parameter.name(), true, c -> c.query.removeIf(q -> q.startsWith(prefix)));
                }
                String[] odd = random.oneOf(OddValues.parameterValues(parameter.schema()));
                boolean refuses = !odd[1].isEmpty() && schemas.violatesParameter(parameter.schema(), Urls.roundTrip(odd[1]));
                String prefix = Urls.encode(parameter.name()) + "=";
                yield Edit.request("query " + parameter.name() + " = " + odd[0], refuses, c -> {
                    c.query.removeIf(q -> q.startsWith(prefix));
                    c.query.add(prefix + Urls.encode(odd[1]));
                });
            }
            case 4 -> {
                if (declared.isEmpty()) {
                    yield null;
                }
                Parameter parameter = random.oneOf(declared);
                String[] odd = random.oneOf(OddValues.parameterValues(parameter.schema()));
                yield Edit.request("query " + parameter.name() + " repeated, second = " + odd[0], false,
                        c -> c.query.add(Urls.encode(parameter.name()) + "=" + Urls.encode(odd[1])));
            }
            case 5 -> {
                String[] raw = random.oneOf(new String[] {"bad escape", "a=%zz"}, new String[] {"lone %", "a=%"},
                        new String[] {"NUL", "a=%00"}, new String[] {"invalid UTF-8", "a=%C3%28"}, new String[] {"no value", "a"},
                        new String[] {"empty name", "=1"}, new String[] {"ampersands", "&&&"}, new String[] {"brackets", "a[]=1&a[0]=2"},
                        new String[] {"raw non-ASCII byte", "a=caf\u00e9"}, new String[] {"plus and semicolon", "a=+;b=1"});
                yield Edit.request("query " + raw[0], false, c -> c.query.add(raw[1]));
            }
            default -> Edit.request("unknown query parameter", false, c -> c.query.add("fuzz=" + random.alphanumeric(8)));
        };
    }

    private Edit headerEdit(FuzzCase fuzzCase, Random random, boolean mustRefuse) {
        List<Parameter> declared = fuzzCase.operation().parameters("header");
        int kind = mustRefuse ? random.oneOf(1, 1, 2) : random.intRange(1, 8);
        return switch (kind) {
            case 1 -> Edit.request("header of 25 KB", true, c -> c.headers.add(new String[] {"X-Padding", random.alphanumeric(25_000)}));
            case 2 -> {
                if (declared.isEmpty()) {
                    yield null;
                }
                Parameter parameter = random.oneOf(declared);
                String[] odd = random.oneOf(OddValues.parameterValues(parameter.schema()));
                // Header values travel as ISO-8859-1: a character beyond it cannot be sent as itself.
                String value = odd[1].chars().allMatch(ch -> ch >= 0x20 && ch < 0x100 && ch != 0x7f) ? odd[1] : null;
                if (value == null) {
                    yield null;
                }
                boolean refuses = !value.isBlank() && value.equals(value.trim()) && schemas.violatesParameter(parameter.schema(), value);
                yield Edit.request("header " + parameter.name() + " = " + odd[0], refuses, c -> c.setHeader(parameter.name(), value));
            }
            case 3 -> Edit.request("ISO-8859-1 header value", false, c -> c.headers.add(new String[] {"X-Fuzz", "caf\u00e9 \u00ff"}));
            case 4 -> Edit.request("200 headers", false, c -> {
                for (int i = 0; i < 200; i++) {
                    c.headers.add(new String[] {"X-Fuzz-" + i, "v"});
                }
            });
            case 5 -> Edit.request("a second Content-Type", false, c -> c.headers.add(new String[] {"Content-Type", "text/plain"}));
            case 6 -> Edit.request("Content-Encoding gzip (not gzipped)", false, c -> c.setHeader("Content-Encoding", "gzip"));
            case 7 -> Edit.request("method override header", false, c -> c.setHeader("X-HTTP-Method-Override", "DELETE"));
            default -> Edit.request("empty header value", false, c -> c.headers.add(new String[] {"X-Fuzz", ""}));
        };
    }

    private Edit contentTypeEdit(FuzzCase fuzzCase, Random random) {
        ApiDescription.Body body = fuzzCase.operation().body();
        if (body == null) {
            return Edit.request("a JSON body where none is taken", false, c -> {
                c.setHeader("Content-Type", "application/json");
                c.bytes = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            });
        }
        String type = random.oneOf(null, "text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "garbage", "application/json; charset=utf-16", "application/json; charset=nope",
                "application/json;;;", "application/*", "*/*", "APPLICATION/JSON", "application/json-patch+json", "text/json",
                "application/problem+json", "image/png", "application/pskc+xml", "", "application/json, text/plain");
        return Edit.request("Content-Type " + (type == null ? "absent" : "'" + type + "'"), refusedMediaType(type, body.mediaTypes()),
                c -> c.setHeader("Content-Type", type));
    }

    /** Whether a Content-Type is certain to be refused: a well-formed, concrete type that the operation does not consume. */
    static boolean refusedMediaType(String type, List<String> consumed) {
        if (type == null || !type.matches("[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+(\\s*;.*)?") || type.contains("*")) {
            return false;
        }
        String essence = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return consumed.stream().noneMatch(m -> m.toLowerCase(Locale.ROOT).equals(essence));
    }

    private Edit acceptEdit(Random random) {
        String accept = random.oneOf("text/html", "application/xml", "image/png", "*/*;q=0", "application/json;q=0", "garbage",
                "", "text/plain, */*;q=0.1", "application/problem+json", "application/json;q=2", "*/*;q=abc");
        return Edit.request("Accept '" + accept + "'", false, c -> c.setHeader("Accept", accept));
    }

    private Edit methodEdit(FuzzCase fuzzCase, Random random, boolean mustRefuse) {
        List<String> wrong = METHODS.stream().filter(m -> !fuzzCase.operation().pathMethods().contains(m)).toList();
        if (!wrong.isEmpty() && (mustRefuse || random.intRange(1, 3) > 1)) {
            String method = random.oneOf(wrong);
            return Edit.request("method " + method, true, c -> c.method = method);
        }
        if (mustRefuse) {
            return null;
        }
        String method = random.oneOf("FOO", fuzzCase.operation().method().toLowerCase(Locale.ROOT), "TRACE");
        return Edit.request("method " + method, false, c -> c.method = method);
    }

    private Edit framingEdit(FuzzCase fuzzCase, Random random, boolean mustRefuse) {
        long limit = bodyLimit(fuzzCase);
        int kind = mustRefuse ? random.intRange(1, 3) : random.intRange(1, 5);
        return switch (kind) {
            case 1 -> Edit.request("Content-Length past the limit", true, c -> {
                c.chunked = false;
                c.declaredLength = Long.toString(limit + 1 + random.intRange(0, 1_000_000));
            });
            case 2 -> Edit.request("Content-Length not a number", true, c -> {
                c.chunked = false;
                c.declaredLength = random.oneOf("12abc", "0x10", "1e3", "");
            });
            case 3 -> Edit.request("negative Content-Length", true, c -> {
                c.chunked = false;
                c.declaredLength = "-1";
            });
            default -> fuzzCase.operation().body() == null ? null : Edit.request("chunked body", false, c -> c.chunked = true);
        };
    }

    // ---------------------------------------------------------------------------------------------

    private static String changeSignature(String jwt) {
        int dot = jwt.lastIndexOf('.');
        int at = dot + (jwt.length() - dot) / 2;
        char replaced = jwt.charAt(at) == 'A' ? 'B' : 'A';
        return jwt.substring(0, at) + replaced + jwt.substring(at + 1);
    }

    private static String algNone(String jwt) {
        String header = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String[] parts = jwt.split("\\.");
        return header + "." + parts[1] + ".";
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.intRange(0, 255);
        }
        return bytes;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static byte[] splice(byte[] body, int at, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(insert);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    private static byte[] insertAfterFirstQuote(byte[] body, byte[] insert) {
        int quote = indexOf(body, (byte) '"');
        return splice(body, quote < 0 ? Math.min(1, body.length) : quote + 1, insert);
    }

    private static int indexOf(byte[] body, byte b) {
        if (body == null) {
            return -1;
        }
        for (int i = 0; i < body.length; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] body, byte b) {
        for (int i = body.length - 1; i >= 0; i--) {
            if (body[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02X", b & 0xff));
        }
        return text.toString();
    }
}
