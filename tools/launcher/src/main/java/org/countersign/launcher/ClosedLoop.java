package org.countersign.launcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop load: each of {@code threads} threads runs the task again as soon as it returns.
 * After a warm-up, it counts what finishes in the measured window and samples latencies.
 */
final class ClosedLoop {

    private static final int SAMPLES_PER_THREAD = 1 << 16;

    /** What a run measured. */
    record Rate(long done, long errors, double seconds, double[] latenciesMs) {

        double perSecond() {
            return done / seconds;
        }

        /** A latency percentile in milliseconds, rounded to hundredths. */
        double percentile(double p) {
            if (latenciesMs.length == 0) {
                return 0;
            }
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            return Math.round(sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 100) / 100.0;
        }
    }

    /** Told when the measured window opens and closes, for example to sample CPU use over exactly that window. */
    interface Window {
        void opened();

        void closed();

        /** All of them, in this order when opening and in reverse when closing. */
        static Window all(Window... windows) {
            List<Window> inOrder = List.of(windows);
            return new Window() {
                @Override
                public void opened() {
                    inOrder.forEach(Window::opened);
                }

                @Override
                public void closed() {
                    for (int i = inOrder.size() - 1; i >= 0; i--) {
                        inOrder.get(i).closed();
                    }
                }
            };
        }
    }

    /** What the load waits for before the measured window opens. */
    @FunctionalInterface
    interface WarmUp {
        void await() throws InterruptedException;

        static WarmUp of(Duration duration) {
            return () -> Thread.sleep(duration.toMillis());
        }
    }

    static final Window NO_WINDOW = new Window() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }
    };

    private ClosedLoop() {
    }

    /** @param task returns whether it succeeded; an exception counts as a failure */
    static Rate run(int threads, Duration warmUp, Duration measure, Callable<Boolean> task) throws Exception {
        return run(threads, warmUp, measure, task, NO_WINDOW);
    }

    /** The same, telling {@code window} when the measured window opens and closes. */
    static Rate run(int threads, Duration warmUp, Duration measure, Callable<Boolean> task, Window window) throws Exception {
        return run(threads, WarmUp.of(warmUp), measure, task, window);
    }

    /** The same, with a warm-up that may wait for something (the service's JIT compiler to go quiet). */
    static Rate run(int threads, WarmUp warmUp, Duration measure, Callable<Boolean> task, Window window) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        long[][] counts = new long[threads][2];
        double[][] samples = new double[threads][];
        Future<?>[] futures = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            int worker = t;
            futures[t] = workers.submit(() -> {
                double[] latencies = new double[SAMPLES_PER_THREAD];
                int n = 0;
                while (!stop.get()) {
                    long start = System.nanoTime();
                    boolean ok;
                    try {
                        ok = task.call();
                    } catch (Exception e) {
                        ok = false;
                    }
                    if (measuring.get()) {
                        counts[worker][ok ? 0 : 1]++;
                        latencies[n++ % SAMPLES_PER_THREAD] = (System.nanoTime() - start) / 1e6;
                    }
                }
                samples[worker] = Arrays.copyOf(latencies, Math.min(n, SAMPLES_PER_THREAD));
                return null;
            });
        }
        try {
            warmUp.await();
        } catch (InterruptedException e) {
            stop.set(true);
            throw e;
        }
        window.opened();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(measure.toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        window.closed();
        stop.set(true);
        return collect(workers, futures, counts, samples, seconds);
    }

    /**
     * Waits for every worker of a load loop and sums what they counted.
     *
     * @param counts per worker: requests done and failed in the window
     * @param samples per worker: latencies in milliseconds
     */
    static Rate collect(ExecutorService workers, Future<?>[] futures, long[][] counts, double[][] samples, double seconds)
            throws Exception {
        for (Future<?> future : futures) {
            future.get();
        }
        workers.shutdown();
        long done = 0;
        long errors = 0;
        for (long[] c : counts) {
            done += c[0];
            errors += c[1];
        }
        return new Rate(done, errors, seconds, Arrays.stream(samples).flatMapToDouble(Arrays::stream).toArray());
    }
}
