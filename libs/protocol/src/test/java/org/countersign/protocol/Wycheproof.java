package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one reader of Wycheproof's files (C2SP/wycheproof, {@code testvectors_v1/}, Apache-2.0), which
 * are not kept in this repository: see {@link #load}. Every test case runs; a case fails when the outcome
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

    /**
     * A file of Wycheproof's {@code testvectors_v1/}, from the checkout named by the system property
     * {@code countersign.wycheproof.dir} (or the environment variable {@code WYCHEPROOF_DIR}). The tests
     * are skipped when none is given: the vectors are not kept in this repository.
     */
    static Wycheproof load(String name) {
        String dir = System.getProperty("countersign.wycheproof.dir", System.getenv("WYCHEPROOF_DIR"));
        Assumptions.assumeTrue(dir != null && !dir.isBlank(),
                "Wycheproof vectors not given: -Dcountersign.wycheproof.dir=<checkout of C2SP/wycheproof>/testvectors_v1");
        Path file = Path.of(dir, name);
        assertTrue(Files.isRegularFile(file), "missing Wycheproof file " + file);
        try (InputStream in = Files.newInputStream(file)) {
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
