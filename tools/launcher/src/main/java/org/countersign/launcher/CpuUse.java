package org.countersign.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the CPU went over a window, from Linux's /proc: the processes of each named group with all
 * their descendants (PostgreSQL's backends, pgbench run by this JVM), and the machine as a whole, so
 * that what nobody here started (another build on the same cores) shows too. Best effort: without
 * /proc it reports nothing.
 */
final class CpuUse implements ClosedLoop.Window {

    private static final Path PROC = Path.of("/proc");
    static final double TICKS_PER_SECOND = ticksPerSecond();

    private final Map<String, List<Long>> groups;
    private Map<String, Long> startTicks;
    private long startBusy;
    private long startNanos;
    private String summary = "n/a";
    private final Map<String, Double> cores = new LinkedHashMap<>();

    /** @param groups a name and the root process ids of each group, in print order */
    CpuUse(Map<String, List<Long>> groups) {
        this.groups = groups;
    }

    static boolean available() {
        return Files.isReadable(PROC.resolve("stat"));
    }

    @Override
    public void opened() {
        if (!available()) {
            return;
        }
        startTicks = sample();
        startBusy = machineBusy();
        startNanos = System.nanoTime();
    }

    @Override
    public void closed() {
        if (startTicks == null) {
            return;
        }
        Map<String, Long> end = sample();
        long busy = machineBusy();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double accounted = 0;
        StringJoiner out = new StringJoiner(", ");
        for (String group : groups.keySet()) {
            double used = (end.get(group) - startTicks.get(group)) / TICKS_PER_SECOND / seconds;
            accounted += used;
            cores.put(group, used);
            out.add(String.format(Locale.ROOT, "%s %.2f", group, used));
        }
        double machine = (busy - startBusy) / TICKS_PER_SECOND / seconds;
        cores.put("rest of the machine", Math.max(0, machine - accounted));
        out.add(String.format(Locale.ROOT, "rest of the machine %.2f", Math.max(0, machine - accounted)));
        summary = String.format(Locale.ROOT, "%.2f of %d busy: %s", machine, Runtime.getRuntime().availableProcessors(), out);
    }

    /** For example "1.98 of 2 busy: otp-service 0.91, PostgreSQL 0.55, ...", in cores. */
    String summary() {
        return summary;
    }

    /** Cores each group used over the window; empty when not measured. */
    Map<String, Double> cores() {
        return cores;
    }

    /**
     * CPU milliseconds each of the named groups spent per operation, at {@code perSecond} operations
     * a second over the window: for example "otp-service 0.95, PostgreSQL 0.61"; "n/a" when not measured.
     */
    String msPerOperation(double perSecond, String... names) {
        if (cores.isEmpty() || perSecond <= 0) {
            return "n/a";
        }
        StringJoiner out = new StringJoiner(", ");
        for (String name : names) {
            Double used = cores.get(name);
            if (used != null) {
                out.add(String.format(Locale.ROOT, "%s %.3f", name, used * 1000 / perSecond));
            }
        }
        return out.toString();
    }

    /** The CPU ticks (user and system, own and of reaped children) of each group's process trees. */
    private Map<String, Long> sample() {
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    String stat = Files.readString(entry.resolve("stat"), StandardCharsets.US_ASCII);
                    // The command name may hold spaces and parentheses: fields follow the last ')'.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    long pid = Long.parseLong(entry.getFileName().toString());
                    parent.put(pid, Long.parseLong(f[1]));
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]));
                } catch (IOException | RuntimeException e) {
                    // The process ended meanwhile.
                }
            }
        } catch (IOException e) {
            return zeros();
        }
        Map<String, Long> totals = new LinkedHashMap<>();
        groups.forEach((group, roots) -> {
            long sum = 0;
            for (Map.Entry<Long, Long> process : ticks.entrySet()) {
                if (descends(process.getKey(), roots, parent)) {
                    sum += process.getValue();
                }
            }
            totals.put(group, sum);
        });
        return totals;
    }

    private Map<String, Long> zeros() {
        Map<String, Long> zeros = new LinkedHashMap<>();
        groups.keySet().forEach(g -> zeros.put(g, 0L));
        return zeros;
    }

    private static boolean descends(long pid, List<Long> roots, Map<Long, Long> parent) {
        for (int depth = 0; depth < 64 && pid > 1; depth++) {
            if (roots.contains(pid)) {
                return true;
            }
            Long up = parent.get(pid);
            if (up == null) {
                return false;
            }
            pid = up;
        }
        return false;
    }

    /** Busy ticks of the whole machine: user, nice, system, irq and softirq (not idle, iowait or steal). */
    private static long machineBusy() {
        try {
            String[] f = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 7; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            getconf.waitFor();
            return Double.parseDouble(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** The root process ids of a group, dropping what is not alive. */
    static List<Long> alive(List<Long> pids) {
        List<Long> live = new ArrayList<>();
        for (Long pid : pids) {
            if (pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                live.add(pid);
            }
        }
        return live;
    }
}
