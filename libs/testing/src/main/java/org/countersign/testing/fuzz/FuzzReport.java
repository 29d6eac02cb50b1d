package org.countersign.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.countersign.testing.RawHttp;
import org.countersign.web.Problem;
import org.countersign.web.ProblemType;

/**
 * What the service answered to each case, judged: no 5xx, every refusal a problem+json with a type
 * the service defines (and the status that type stands for), no acceptance of a request that must be
 * refused. Counts what it saw, so that a run shows whether it mostly met refusals.
 */
public final class FuzzReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXAMPLES_PER_KIND = 2;

    private final Map<String, Set<Integer>> knownTypes;
    private final Set<String> dependencyOutages;
    private final Map<String, List<String>> failures = new LinkedHashMap<>();
    private final Map<String, Integer> failureCounts = new LinkedHashMap<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> types = new TreeMap<>();
    private final Map<String, Integer> accepted = new TreeMap<>();
    private final Map<String, Integer> perOperation = new TreeMap<>();
    private int cases;

    /**
     * @param knownTypes each problem slug the service defines, with the status it answers with
     * @param dependencyOutages the slugs of 503 problems that say another service the test does not run
     *                          could not be asked: the honest answer there, not a fault of the input
     */
    public FuzzReport(Map<String, Set<Integer>> knownTypes, Set<String> dependencyOutages) {
        this.knownTypes = knownTypes;
        this.dependencyOutages = dependencyOutages;
    }

    public void record(int index, FuzzCase fuzzCase, boolean mustBeRefused, RawHttp.Response response) {
        cases++;
        perOperation.merge(fuzzCase.operation().toString(), 1, Integer::sum);
        int status = response.status();
        statuses.merge(status, 1, Integer::sum);
        if (status == 503 && dependencyOutages.contains(slug(response))) {
            checkProblem(index, fuzzCase, response);
        } else if (status >= 500) {
            fail(index, fuzzCase, "answered " + status, response);
        } else if (status < 200 || (status >= 300 && status < 400)) {
            fail(index, fuzzCase, "answered " + status + ", neither a success nor a refusal", response);
        } else if (status < 300) {
            if (mustBeRefused) {
                fail(index, fuzzCase, "accepted (" + status + ") a request its documented contract refuses", response);
            } else {
                accepted.merge(fuzzCase.operation().toString(), 1, Integer::sum);
            }
        } else {
            checkProblem(index, fuzzCase, response);
        }
    }

    /** The slug of a problem+json answer's type, or "" when the body is none. */
    public static String slug(RawHttp.Response response) {
        try {
            String type = JSON.readTree(response.body()).path("type").asText("");
            return type.substring(type.lastIndexOf('/') + 1);
        } catch (Exception e) {
            return "";
        }
    }

    public void recordNoAnswer(int index, FuzzCase fuzzCase, Exception e) {
        cases++;
        perOperation.merge(fuzzCase.operation().toString(), 1, Integer::sum);
        statuses.merge(0, 1, Integer::sum);
        fail(index, fuzzCase, "no answer (" + e.getClass().getSimpleName() + ")", null);
    }

    private void checkProblem(int index, FuzzCase fuzzCase, RawHttp.Response response) {
        int status = response.status();
        String contentType = response.header("Content-Type");
        String essence = contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!Problem.MEDIA_TYPE.equals(essence)) {
            fail(index, fuzzCase, status + " with Content-Type " + contentType + ", not " + Problem.MEDIA_TYPE, response);
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            fail(index, fuzzCase, status + " whose body is not JSON", response);
            return;
        }
        String type = body == null ? "" : body.path("type").asText("");
        String slug = type.startsWith(ProblemType.BASE) ? type.substring(ProblemType.BASE.length()) : null;
        types.merge(slug == null ? "(none)" : slug, 1, Integer::sum);
        if (slug == null || !knownTypes.containsKey(slug)) {
            fail(index, fuzzCase, status + " with a type the service does not define: '" + type + "'", response);
        } else if (!knownTypes.get(slug).contains(status)) {
            fail(index, fuzzCase, status + " with type " + slug + ", which stands for " + knownTypes.get(slug), response);
        } else if (body.path("status").asInt() != status) {
            fail(index, fuzzCase, status + " whose body says status " + body.path("status"), response);
        } else if (body.path("title").asText("").isEmpty()) {
            fail(index, fuzzCase, status + " without a title", response);
        }
    }

    private void fail(int index, FuzzCase fuzzCase, String what, RawHttp.Response response) {
        String kind = fuzzCase.operation() + ": " + what.replaceAll("'.*'", "'...'");
        int seen = failureCounts.merge(kind, 1, Integer::sum);
        if (seen <= EXAMPLES_PER_KIND) {
            failures.computeIfAbsent(kind, k -> new ArrayList<>()).add("case " + index + ", edits " + fuzzCase.edits()
                    + "\n    " + fuzzCase.describe()
                    + (response == null ? "" : "\n  answer " + response.status() + " " + response.header("Content-Type") + " "
                    + FuzzCase.shorten(response.body(), 600)));
        }
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /** The slugs of every problem type the service answered with. */
    public Set<String> observedTypes() {
        Set<String> observed = new TreeSet<>(types.keySet());
        observed.remove("(none)");
        return observed;
    }

    public int acceptedCount() {
        return accepted.values().stream().mapToInt(Integer::intValue).sum();
    }

    public String failures() {
        StringBuilder text = new StringBuilder();
        failures.forEach((kind, examples) -> {
            text.append("\n* ").append(kind).append(" (").append(failureCounts.get(kind)).append(" case(s))");
            examples.forEach(e -> text.append("\n  ").append(e));
        });
        return text.toString();
    }

    public String summary() {
        return cases + " cases over " + perOperation.size() + " operations; statuses " + statuses
                + "\n  problem types " + types
                + "\n  accepted (valid by chance): " + acceptedCount() + " " + accepted;
    }
}
