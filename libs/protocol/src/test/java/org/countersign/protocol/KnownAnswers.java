package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assertions;

/**
 * The one reader of the known-answer files in {@code src/test/resources/vectors/<source>/<name>.json}.
 * Each file cites its source; each vector has a unique {@code id}. Every vector is run, and the
 * test fails at the end with the id and the difference of each one that failed.
 */
final class KnownAnswers {

    private final JsonNode file;
    private final List<String> failures = new ArrayList<>();

    private KnownAnswers(JsonNode file) {
        this.file = file;
    }

    static KnownAnswers load(String resource) {
        try (InputStream in = KnownAnswers.class.getResourceAsStream("/vectors/" + resource)) {
            assertNotNull(in, "missing vector file " + resource);
            JsonNode file = new ObjectMapper().readTree(in);
            assertFalse(file.path("source").asText().isBlank(), resource + " does not cite its source");
            Set<String> ids = new HashSet<>();
            for (JsonNode vector : file.path("vectors")) {
                if (!ids.add(vector.path("id").asText())) {
                    Assertions.fail(resource + ": duplicate or missing vector id '" + vector.path("id").asText() + "'");
                }
            }
            assertFalse(ids.isEmpty(), resource + " has no vectors");
            return new KnownAnswers(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode file() {
        return file;
    }

    /** Runs {@code check} on every vector; an exception counts as that vector's failure. */
    KnownAnswers each(Consumer<JsonNode> check) {
        for (JsonNode vector : file.path("vectors")) {
            try {
                check.accept(vector);
            } catch (RuntimeException | AssertionError e) {
                failures.add(vector.path("id").asText() + ": " + e);
            }
        }
        return this;
    }

    /** Like {@link #each}, over another array of the file (ids are reported, not checked for uniqueness). */
    KnownAnswers each(String array, Consumer<JsonNode> check) {
        for (JsonNode vector : file.path(array)) {
            try {
                check.accept(vector);
            } catch (RuntimeException | AssertionError e) {
                failures.add(array + "/" + vector.path("id").asText() + ": " + e);
            }
        }
        return this;
    }

    int count() {
        return file.path("vectors").size();
    }

    /** Fails the test listing every failed vector, after all of them have run. */
    void assertAllPassed() {
        if (!failures.isEmpty()) {
            Assertions.fail(failures.size() + " of " + count() + " vectors from " + file.path("source").asText()
                    + " failed:\n  " + String.join("\n  ", failures));
        }
    }

    /** Like assertEquals, but as an exception that {@link #each} records. */
    static void expect(String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + " expected " + expected + " but was " + actual);
        }
    }
}
