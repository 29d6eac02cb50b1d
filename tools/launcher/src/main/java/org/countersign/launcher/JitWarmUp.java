package org.countersign.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A warm-up that lasts until a JVM's JIT compiler threads go quiet: at least {@code min}, then until
 * they used less than {@link #QUIET_CORES} of a core over the last {@link #STEP}, at most {@code max}.
 * On a busy 2-core machine HotSpot's C2 can still be compiling the request path a minute after start,
 * and a window opened then measures the compiler as much as the service. Reads /proc (Linux); where
 * it cannot, it waits {@code min}.
 */
final class JitWarmUp implements ClosedLoop.WarmUp, ClosedLoop.Window {

    static final double QUIET_CORES = 0.1;
    static final Duration STEP = Duration.ofSeconds(2);

    private final java.util.List<Long> pids;
    private final Duration min;
    private final Duration max;
    private double waitedSeconds;
    private boolean quiet;
    private long windowStartTicks = -1;
    private long windowStartNanos;
    private double windowCores = Double.NaN;

    JitWarmUp(Long pid, Duration min, Duration max) {
        this(pid == null ? java.util.List.of() : java.util.List.of(pid), min, max);
    }

    /** Over several JVMs (the services one benchmark drives): quiet when all their compilers together are. */
    JitWarmUp(java.util.List<Long> pids, Duration min, Duration max) {
        this.pids = java.util.List.copyOf(pids);
        this.min = min;
        this.max = max;
    }

    @Override
    public void await() throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(min.toMillis());
        long ticks = compilerTicks();
        while (ticks >= 0 && System.nanoTime() - start < max.toNanos()) {
            Thread.sleep(STEP.toMillis());
            long now = compilerTicks();
            if ((now - ticks) / CpuUse.TICKS_PER_SECOND / STEP.toSeconds() < QUIET_CORES) {
                quiet = true;
                break;
            }
            ticks = now;
        }
        waitedSeconds = (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void opened() {
        windowStartTicks = compilerTicks();
        windowStartNanos = System.nanoTime();
    }

    @Override
    public void closed() {
        long ticks = compilerTicks();
        if (windowStartTicks >= 0 && ticks >= 0) {
            windowCores = (ticks - windowStartTicks) / CpuUse.TICKS_PER_SECOND / ((System.nanoTime() - windowStartNanos) / 1e9);
        }
    }

    /** For example "12.0 s (JIT quiet)" or "60.0 s (JIT still compiling)". */
    String warmUp() {
        return String.format(Locale.ROOT, "%.1f s (%s)", waitedSeconds, quiet ? "until the JIT compiler went quiet"
                : compilerTicks() < 0 ? "JIT not observable" : "JIT still compiling at the limit");
    }

    /** Cores the JIT compiler threads used during the window, or "n/a". */
    String duringWindow() {
        return Double.isNaN(windowCores) ? "n/a" : String.format(Locale.ROOT, "%.2f", windowCores);
    }

    /** CPU ticks of the processes' compiler threads (HotSpot names them "C1 CompilerThre..", "C2 CompilerThre.."); -1 if unknown. */
    private long compilerTicks() {
        if (pids.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (Long pid : pids) {
            long ticks = compilerTicks(pid);
            if (ticks < 0) {
                return -1;
            }
            sum += ticks;
        }
        return sum;
    }

    private static long compilerTicks(Long pid) {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid.toString(), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.contains("CompilerThre")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended meanwhile.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }
}
