package org.countersign.launcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An open load at a fixed rate: request k is due at {@code start + k / rate}, whether or not the
 * ones before it have answered, spread over {@code threads} threads (thread t sends requests t,
 * t + threads, ...). A latency is measured from when the request was due, not from when it was
 * sent, so a slow answer that delays the next request counts against that one too (no coordinated
 * omission). Requests due in the measured window are counted.
 */
final class PacedLoop {

    private PacedLoop() {
    }

    /** @param task returns whether it succeeded; an exception counts as a failure */
    static ClosedLoop.Rate run(int threads, double rate, Duration warmUp, Duration measure, Callable<Boolean> task,
                               ClosedLoop.Window window) throws Exception {
        long interval = Math.max(1, Math.round(1e9 / rate));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long windowStart = start + warmUp.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        long[][] counts = new long[threads][2];
        double[][] samples = new double[threads][];
        Future<?>[] futures = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            int worker = t;
            futures[t] = workers.submit(() -> {
                double[] latencies = new double[16];
                int n = 0;
                for (long k = worker; ; k += threads) {
                    long due = start + k * interval;
                    if (due >= windowEnd) {
                        break;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    boolean ok;
                    try {
                        ok = task.call();
                    } catch (Exception e) {
                        ok = false;
                    }
                    if (due >= windowStart) {
                        counts[worker][ok ? 0 : 1]++;
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = (System.nanoTime() - due) / 1e6;
                    }
                }
                samples[worker] = Arrays.copyOf(latencies, n);
                return null;
            });
        }
        sleepUntil(windowStart);
        window.opened();
        sleepUntil(windowEnd);
        window.closed();
        return ClosedLoop.collect(workers, futures, counts, samples, measure.toNanos() / 1e9);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
