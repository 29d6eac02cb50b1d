package org.countersign.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.runtime.configuration.MemorySize;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.countersign.testing.fuzz.ApiDescription;
import org.countersign.testing.fuzz.FuzzCase;
import org.countersign.testing.fuzz.FuzzReport;
import org.countersign.testing.fuzz.RequestGenerator;
import org.countersign.testing.fuzz.TableSnapshot;
import org.countersign.web.ProblemKind;
import org.countersign.web.ProblemType;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests to every operation of the service's own OpenAPI document (read from
 * {@code /q/openapi} at test time, so every endpoint is covered without a list), drawn by
 * {@link RequestGenerator}: wrong JSON types, missing and unknown fields, strings and numbers past
 * their limits, odd Unicode and invalid UTF-8, deep nesting, wrong media types, bad tokens, abused
 * paths and queries. Every answer must be below 500; every refusal must be problem+json with a type
 * the service defines; a request that breaks its documented contract must not be accepted; and no
 * table of the service may change, since every generated write is certain to be refused.
 *
 * <p>Each service runs it against itself by extending this class in a {@code @QuarkusTest}. The run's
 * seed is printed; {@code -Dcountersign.fuzz.seed=S} repeats a run, {@code -Dcountersign.fuzz.case=N}
 * sends only its case N, {@code -Dcountersign.fuzz.tries=T} sets how many cases are sent.
 */
public abstract class OpenApiFuzzTests {

    /** Cases per run unless {@code countersign.fuzz.tries} says otherwise: about 15 s of a service on 2 cores. */
    protected static final int DEFAULT_TRIES = 3000;

    /** The service's own problem kinds (an enum implementing {@link ProblemKind}), beside the generic {@link ProblemType}. */
    protected abstract List<Class<? extends ProblemKind>> problemKinds();

    /** Per table, the columns that change without any request (the outbox relay stamps published_at). */
    /**
     * The service's 503 problems that say another service, which this test does not run, could not be
     * asked (for example a fallback call to registration-service): accepted as refusals.
     */
    protected Set<ProblemKind> dependencyOutages() {
        return Set.of();
    }

    /**
     * The seed of a run that names none: fixed per service, so that CI's verdict on a tree does not depend
     * on a draw. Random seeds found real defects (each became a fix and a test), and so cost two landings:
     * exploring goes on with {@code -Dcountersign.fuzz.seed=random} and longer runs (docs/problems.md). A
     * service's seed is one that passed on the tree that set it.
     */
    protected abstract long ciSeed();

    /**
     * Refusals that are audited: the service records the attempt (a rejection event, a failure count
     * towards a lock) before it refuses, on purpose, as it does for a wrong code at a login. A probe
     * refused with one of these may change tables; any other refusal may not.
     */
    protected Set<ProblemKind> auditedRefusals() {
        return Set.of();
    }

    protected Map<String, Set<String>> columnsThatChangeOnTheirOwn() {
        return Map.of("outbox_events", Set.of("published_at"));
    }

    @Test
    void everyOperation_malformedRequests_refusedWithStableProblemsAndNoTableChanged() {
        String seedProperty = System.getProperty("countersign.fuzz.seed");
        long seed = seedProperty == null ? ciSeed()
                : seedProperty.equals("random") ? new SecureRandom().nextLong() : Long.parseLong(seedProperty);
        int tries = Integer.getInteger("countersign.fuzz.tries", DEFAULT_TRIES);
        Integer only = Integer.getInteger("countersign.fuzz.case");
        String service = getClass().getSimpleName() + " of " + config().getValue("countersign.web.service", String.class);
        System.out.printf("%s: fuzzing with seed %d, %d case(s); repeat with -Dcountersign.fuzz.seed=%d%n",
                service, seed, only != null ? 1 : tries, seed);

        ApiDescription api = ApiDescription.parse(given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
        RequestGenerator generator = new RequestGenerator(api, tokens(), limits());
        FuzzReport report = new FuzzReport(knownTypes(), dependencyOutages().stream().map(ProblemKind::slug).collect(Collectors.toSet()));
        List<String> problems = new ArrayList<>();
        try (Tables tables = Tables.of(config(), columnsThatChangeOnTheirOwn())) {
            long started = System.nanoTime();
            TableSnapshot baseline = tables.settled();
            System.out.printf("%s: tables settled in %.1f s%n", service, (System.nanoTime() - started) / 1e9);

            started = System.nanoTime();
            int lastProbe = -1;
            int probeWrites = 0;
            int auditedWrites = 0;
            for (int index = only != null ? only : 0; index < (only != null ? only + 1 : tries); index++) {
                FuzzCase fuzzCase = generator.generate(seed, index);
                boolean probe = fuzzCase.writeProbe() && tables.present();
                if (probe) {
                    TableSnapshot now = tables.take();
                    if (!now.equals(baseline)) {
                        problems.add("Tables changed between case " + lastProbe + " and case " + index
                                + ", by requests that had to be refused: " + now.changesSince(baseline));
                    }
                    baseline = now;
                    lastProbe = index;
                }
                RawHttp.Response response = send(report, index, fuzzCase, generator.bodyLimit(fuzzCase));
                if (probe) {
                    // What an accepted write sets going on its own (a bulk job's worker, a relay) is its
                    // change too: wait for it to settle, or the next probe would blame a refused request.
                    boolean accepted = response != null && response.status() / 100 == 2;
                    TableSnapshot after = accepted ? tables.settled() : tables.take();
                    if (!after.equals(baseline)) {
                        if (accepted) {
                            probeWrites++;
                        } else if (audited(response)) {
                            auditedWrites++;
                        } else {
                            problems.add("Case " + index + " (" + fuzzCase + ") was refused ("
                                    + (response == null ? "no answer" : response.status()) + ") but changed tables: "
                                    + after.changesSince(baseline));
                        }
                    }
                    baseline = after;
                }
            }
            System.out.printf("%s: seed %d, %.1f s%n  %s%n  writes sent without a certain refusal that the service took: %d"
                            + " (and audited refusals that recorded the attempt: %d)%n",
                    service, seed, (System.nanoTime() - started) / 1e9, report.summary(), probeWrites, auditedWrites);
            if (tables.present()) {
                List<String> changed = tables.settled().changesSince(baseline);
                if (!changed.isEmpty()) {
                    problems.add("Tables changed after case " + lastProbe + ", by requests that had to be refused: " + changed);
                }
            }
        }
        if (!report.passed()) {
            problems.add(0, "Answers that break the HTTP contract:" + report.failures());
        }
        List<String> undocumented = undocumented(report.observedTypes());
        if (!undocumented.isEmpty()) {
            problems.add("Problem types answered but documented neither in docs/problems.md nor in README.md: " + undocumented);
        }
        if (!problems.isEmpty()) {
            fail(service + ", seed " + seed + " (repeat with -Dcountersign.fuzz.seed=" + seed
                    + ", one case with -Dcountersign.fuzz.case=N):\n" + String.join("\n", problems));
        }
        assertTrue(report.observedTypes().size() > 3, "the fuzzer met hardly any refusals: " + report.summary());
    }

    /** Sends a case and has the report judge the answer; null when there was none. */
    /** Whether the answer is one of {@link #auditedRefusals()}, by its status and problem type. */
    private boolean audited(RawHttp.Response response) {
        return response != null && auditedRefusals().stream()
                .anyMatch(kind -> kind.status() == response.status() && kind.slug().equals(FuzzReport.slug(response)));
    }

    private static RawHttp.Response send(FuzzReport report, int index, FuzzCase fuzzCase, long bodyLimit) {
        boolean mustBeRefused = fuzzCase.mustBeRefused(bodyLimit);
        byte[] body = fuzzCase.body();
        try {
            RawHttp.Response response = body == null
                    ? RawHttp.exchange(RestAssured.port, fuzzCase.head(), false)
                    : RawHttp.exchange(RestAssured.port, fuzzCase.head(), fuzzCase.chunked(), body);
            report.record(index, fuzzCase, mustBeRefused, response);
            return response;
        } catch (IOException e) {
            report.recordNoAnswer(index, fuzzCase, e);
            return null;
        }
    }

    private static Config config() {
        return ConfigProvider.getConfig();
    }

    private RequestGenerator.Tokens tokens() {
        String scope = config().getValue("countersign.web.scope", String.class);
        String otherScope = scope.equals("push") ? "otp" : "push";
        return new RequestGenerator.Tokens(
                TestTokens.token(TestTokens.DOMAIN, scope),
                TestTokens.token(TestTokens.DOMAIN, "admin"),
                TestTokens.token(TestTokens.OTHER_DOMAIN, scope),
                TestTokens.token(TestTokens.DOMAIN, otherScope),
                TestTokens.token(null, scope),
                TestTokens.expired(TestTokens.DOMAIN, scope),
                TestTokens.signedByStranger(TestTokens.DOMAIN, scope));
    }

    private static RequestGenerator.Limits limits() {
        long upload = config().getValue("quarkus.http.limits.max-body-size", MemorySize.class).asLongValue();
        long body = Math.min(upload, config().getOptionalValue("countersign.web.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(64 * 1024L));
        Set<String> uploadPaths = new HashSet<>(config().getOptionalValues("countersign.web.upload-paths", String.class)
                .orElse(List.of()));
        return new RequestGenerator.Limits(body, upload, uploadPaths);
    }

    private Map<String, Set<Integer>> knownTypes() {
        Map<String, Set<Integer>> known = new HashMap<>();
        List<Class<? extends ProblemKind>> kinds = new ArrayList<>(problemKinds());
        kinds.add(ProblemType.class);
        for (Class<? extends ProblemKind> kind : kinds) {
            for (ProblemKind problem : kind.getEnumConstants()) {
                known.computeIfAbsent(problem.slug(), s -> new HashSet<>()).add(problem.status());
            }
        }
        return known;
    }

    /** The observed types that neither docs/problems.md nor the module's README names (as {@code `slug`}). */
    private static List<String> undocumented(Set<String> observed) {
        Path problems = Path.of("..", "docs", "problems.md");
        if (!Files.exists(problems)) {
            throw new IllegalStateException("The fuzz test runs in the module's directory and reads " + problems);
        }
        String docs = read(problems) + (Files.exists(Path.of("README.md")) ? read(Path.of("README.md")) : "");
        return observed.stream().filter(slug -> !docs.contains("`" + slug + "`")).toList();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service's database, when it has one; a connection held for the run. */
    private static final class Tables implements AutoCloseable {

        private final Connection connection;
        /** Null without a database; made once the service has migrated its schemas (it runs before the fuzzing). */
        private final TableSnapshot.Reader reader;

        private Tables(Connection connection, TableSnapshot.Reader reader) {
            this.connection = connection;
            this.reader = reader;
        }

        static Tables of(Config config, Map<String, Set<String>> ignored) {
            Optional<String> url = config.getOptionalValue("quarkus.datasource.jdbc.url", String.class);
            if (url.isEmpty()) {
                return new Tables(null, null);
            }
            try {
                Connection connection = DriverManager.getConnection(url.get(),
                        config.getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres"),
                        config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                List<String> schemas = config.getOptionalValues("quarkus.flyway.schemas", String.class).orElse(List.of("public"));
                return new Tables(connection, TableSnapshot.reader(connection, schemas, ignored));
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot reach the service's database", e);
            }
        }

        boolean present() {
            return connection != null;
        }

        /** The tables now; an empty snapshot for a service without a database. */
        TableSnapshot take() {
            return present() ? reader.take() : new TableSnapshot(Map.of());
        }

        /**
         * A snapshot once two in a row agree: what the tests before this one set going (events on
         * their way through Kafka, the outbox relay) has settled.
         */
        TableSnapshot settled() {
            TableSnapshot last = take();
            for (int i = 0; i < 60 && present(); i++) {
                sleep();
                TableSnapshot next = take();
                if (next.equals(last)) {
                    return next;
                }
                last = next;
            }
            if (present()) {
                throw new IllegalStateException("The tables never settled: " + last);
            }
            return last;
        }

        private static void sleep() {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // The test's verdict does not depend on closing cleanly.
                }
            }
        }
    }
}
