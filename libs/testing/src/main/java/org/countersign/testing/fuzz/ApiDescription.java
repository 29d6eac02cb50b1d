package org.countersign.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operations of a service as its OpenAPI 3.0 document describes them: what the fuzzer generates
 * requests for. Read from the service itself at test time, so that a new endpoint is fuzzed without
 * anyone listing it.
 */
public final class ApiDescription {

    /** A path, query or header parameter. */
    public record Parameter(String name, String in, boolean required, ObjectNode schema) {
    }

    /**
     * A request body.
     *
     * @param mediaTypes what the operation consumes, as documented
     * @param jsonSchema the schema of its JSON media type, or null when it takes no JSON (an image, a document)
     */
    public record Body(boolean required, List<String> mediaTypes, ObjectNode jsonSchema) {

        public boolean isJson() {
            return jsonSchema != null;
        }
    }

    /**
     * One operation.
     *
     * @param pathMethods every method that its path serves, so that a wrong method is known to be wrong
     */
    public record Operation(String method, String path, List<Parameter> parameters, Body body, boolean secured,
                            Set<String> pathMethods) {

        public boolean safe() {
            return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        }

        public List<Parameter> parameters(String in) {
            return parameters.stream().filter(p -> p.in().equals(in)).toList();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final List<Operation> operations;
    private final Schemas schemas;

    private ApiDescription(List<Operation> operations, Schemas schemas) {
        this.operations = operations;
        this.schemas = schemas;
    }

    public static ApiDescription parse(String openApiJson) {
        try {
            return parse(JSON.readTree(openApiJson));
        } catch (IOException e) {
            throw new UncheckedIOException("The OpenAPI document is not JSON", e);
        }
    }

    public static ApiDescription parse(JsonNode document) {
        Schemas schemas = new Schemas(document.path("components").path("schemas"));
        boolean securedByDefault = document.path("security").size() > 0;
        Map<String, Set<String>> methodsByPath = methodsByPath(document.path("paths"));
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            Set<String> pathMethods = servedMethods(path.getKey(), methodsByPath);
            List<Parameter> shared = parameters(path.getValue().path("parameters"), schemas);
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                JsonNode node = op.getValue();
                List<Parameter> parameters = new ArrayList<>(shared);
                parameters.addAll(parameters(node.path("parameters"), schemas));
                boolean secured = node.has("security") ? node.path("security").size() > 0 : securedByDefault;
                operations.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), List.copyOf(parameters),
                        body(node.path("requestBody"), schemas), secured, Set.copyOf(pathMethods)));
            }
        }
        operations.sort(Comparator.comparing(Operation::path).thenComparing(Operation::method));
        return new ApiDescription(List.copyOf(operations), schemas);
    }

    private static Map<String, Set<String>> methodsByPath(JsonNode paths) {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        paths.fields().forEachRemaining(path -> {
            Set<String> served = new LinkedHashSet<>();
            path.getValue().fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m)) {
                    served.add(m.toUpperCase(Locale.ROOT));
                }
            });
            methods.put(path.getKey(), served);
        });
        return methods;
    }

    /**
     * The methods a literal path is answered to: its own, and those of every templated path that also matches it
     * ({@code GET /users/bulk} is {@code GET /users/{userId}} for a user called "bulk", so GET is not a wrong method
     * there).
     */
    static Set<String> servedMethods(String path, Map<String, Set<String>> methodsByPath) {
        Set<String> served = new LinkedHashSet<>(methodsByPath.getOrDefault(path, Set.of()));
        methodsByPath.forEach((template, methods) -> {
            if (!template.equals(path) && template.contains("{") && path.matches(templateRegex(template))) {
                served.addAll(methods);
            }
        });
        return served;
    }

    private static String templateRegex(String template) {
        String[] literals = template.split("\\{[^/}]+}", -1);
        StringBuilder regex = new StringBuilder(Pattern.quote(literals[0]));
        for (int i = 1; i < literals.length; i++) {
            regex.append("[^/{}]+").append(Pattern.quote(literals[i]));
        }
        return regex.toString();
    }

    public List<Operation> operations() {
        return operations;
    }

    public Schemas schemas() {
        return schemas;
    }

    private static List<Parameter> parameters(JsonNode list, Schemas schemas) {
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode p : list) {
            String in = p.path("in").asText();
            if (in.equals("cookie")) {
                continue;
            }
            parameters.add(new Parameter(p.path("name").asText(), in,
                    p.path("required").asBoolean(in.equals("path")), schemas.resolve(p.path("schema"))));
        }
        return parameters;
    }

    private static Body body(JsonNode requestBody, Schemas schemas) {
        if (requestBody.isMissingNode() || !requestBody.has("content")) {
            return null;
        }
        List<String> mediaTypes = new ArrayList<>();
        ObjectNode json = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = requestBody.path("content").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> media = it.next();
            mediaTypes.add(media.getKey());
            if (json == null && isJson(media.getKey())) {
                json = schemas.resolve(media.getValue().path("schema"));
            }
        }
        return new Body(requestBody.path("required").asBoolean(false), List.copyOf(mediaTypes), json);
    }

    static boolean isJson(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }
}
