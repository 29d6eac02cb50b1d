package org.countersign.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Lists the benchmarks and runs one against the running suite; each prints a table or, with --json, one object. */
final class BenchCommand {

    /** A benchmark: a name, one line saying what it measures, and the run itself. */
    interface Benchmark {
        String name();

        String description();

        /** Runs against the suite described by {@code state} and returns its figures, in print order. */
        Map<String, Object> run(Workspace workspace, java.util.Properties state) throws Exception;

        /** Takes the options after its name (--json taken out); by default it takes none. */
        default void configure(List<String> options) {
            if (!options.isEmpty()) {
                throw new UsageException("bench " + name() + " takes only [--json], not " + options);
            }
        }

        /** Whether it measures the running suite; one that does not runs without ./countersign up. */
        default boolean needsSuite() {
            return true;
        }
    }

    private static final List<Benchmark> BENCHMARKS = List.of(new WhoamiBenchmark(), new EventsBenchmark(), new VisualCodesBenchmark(),
            new OtpBenchmark(), new OfflineDataBenchmark(), new ActivationBenchmark(), new PushBenchmark());

    private final Workspace workspace;

    BenchCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    int run(List<String> args) throws Exception {
        List<String> rest = new ArrayList<>(args);
        boolean json = rest.remove("--json");
        if (rest.isEmpty()) {
            System.out.println("Benchmarks (./countersign bench NAME [--json], activation also [--devices N] [--scan-ms M]; all but offline-data against a running ./countersign up):");
            for (Benchmark benchmark : BENCHMARKS) {
                System.out.printf(Locale.ROOT, "  %-14s %s%n", benchmark.name(), benchmark.description());
            }
            return 0;
        }
        Benchmark benchmark = BENCHMARKS.stream().filter(b -> b.name().equals(rest.get(0))).findFirst()
                .orElseThrow(() -> new UsageException("No benchmark named '" + rest.get(0) + "'; ./countersign bench lists them."));
        benchmark.configure(rest.subList(1, rest.size()));
        if (benchmark.needsSuite()
                && (workspace.runningLauncher().isEmpty() || !"true".equals(workspace.readState().getProperty("ready")))) {
            throw new UsageException("No suite is running with its data in " + workspace.dataDir() + ": start it with"
                    + " ./countersign up (or up --detach) first, or, if it runs on another data directory, set"
                    + " COUNTERSIGN_DATA_DIR to that directory here too.");
        }
        Map<String, Object> figures = benchmark.run(workspace, workspace.readState());
        if (json) {
            System.out.println(toJson(benchmark.name(), figures));
        } else {
            System.out.println("\n" + benchmark.name() + ": " + benchmark.description());
            figures.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-44s %s%n", k, v));
        }
        return 0;
    }

    static String toJson(String name, Map<String, Object> figures) {
        StringBuilder out = new StringBuilder("{\"benchmark\":\"").append(name).append('"');
        new TreeMap<>(figures).forEach((k, v) -> {
            out.append(",\"").append(k.replace("\"", "'")).append("\":");
            out.append(v instanceof Number ? v.toString() : "\"" + v.toString().replace("\"", "'") + "\"");
        });
        return out.append('}').toString();
    }
}
