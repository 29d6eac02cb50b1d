package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * The one reader of the vendored Wycheproof files in {@code src/test/resources/vectors/wycheproof/}
 * (source and licence in SOURCE.md there). Every test case runs; a case fails when the outcome
 * differs from its {@code result}: a {@code valid} case must be accepted with the right output,
 * an {@code invalid} one refused, and an {@code acceptable} one may go either way (the test says
 * which way we chose). Failures carry the tcId and comment and are all reported at the end.
 */
final class Wycheproof {

    /** What the code under test did with one case. */
    enum Outcome { ACCEPTED, REFUSED }

    interface Case {
        Outcome run(JsonNode group, JsonNode test);
    }

    private final JsonNode file;
    private final String name;
    private final List<String> failures = new ArrayList<>();
    private int cases;
    private int acceptableAccepted;

    private Wycheproof(String name, JsonNode file) {
        this.name = name;
        this.file = file;
    }

    static Wycheproof load(String name) {
        try (InputStream in = Wycheproof.class.getResourceAsStream("/vectors/wycheproof/" + name)) {
            assertNotNull(in, "missing Wycheproof file " + name);
            return new Wycheproof(name, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param acceptableOutcome what we do with every {@code acceptable} case, on purpose (null: either)
     */
    Wycheproof run(Case check, Outcome acceptableOutcome) {
        for (JsonNode group : file.path("testGroups")) {
            for (JsonNode test : group.path("tests")) {
                cases++;
                String result = test.path("result").asText();
                Outcome outcome;
                try {
                    outcome = check.run(group, test);
                } catch (RuntimeException | AssertionError e) {
                    failures.add(label(test) + ": threw " + e);
                    continue;
                }
                if ("valid".equals(result) && outcome != Outcome.ACCEPTED) {
                    failures.add(label(test) + ": valid but refused");
                } else if ("invalid".equals(result) && outcome != Outcome.REFUSED) {
                    failures.add(label(test) + ": invalid but accepted");
                } else if ("acceptable".equals(result)) {
                    if (acceptableOutcome != null && outcome != acceptableOutcome) {
                        failures.add(label(test) + ": acceptable, expected " + acceptableOutcome + " but " + outcome);
                    }
                    acceptableAccepted += outcome == Outcome.ACCEPTED ? 1 : 0;
                }
            }
        }
        return this;
    }

    void assertAllPassed(int expectedCases) {
        if (cases != expectedCases) {
            failures.add("ran " + cases + " cases, the file has " + expectedCases);
        }
        if (!failures.isEmpty()) {
            Assertions.fail(failures.size() + " of " + cases + " Wycheproof cases of " + name + " failed:\n  "
                    + String.join("\n  ", failures));
        }
    }

    int numberOfTests() {
        return file.path("numberOfTests").asInt();
    }

    private static String label(JsonNode test) {
        return "tcId " + test.path("tcId").asInt() + " (" + test.path("comment").asText() + ", " + test.path("flags") + ")";
    }
}
