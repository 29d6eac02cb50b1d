package org.countersign.otp.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Groups concurrent requests for one statement into one round trip, as PostgreSQL's group commit
 * does for WAL flushes: a request that arrives while fewer than {@code maxInFlight} batches are
 * running goes at once, alone; one that arrives while they all run waits for the first of them to
 * finish and goes with everything that queued meanwhile, up to {@code maxSize}. So nothing waits at
 * low load, and under load a request waits at most for one round trip before its own; the batch is
 * one statement and one transaction for all of it. Each answer is delivered on the caller's own
 * Vert.x context.
 *
 * @param <I> what one request asks
 * @param <O> what it gets back
 */
final class Batcher<I, O> {

    /** Runs one batch: one answer per item, in order. */
    @FunctionalInterface
    interface Runner<I, O> {
        Uni<List<O>> run(List<I> items);
    }

    private record Waiting<I, O>(I item, Context context, Consumer<O> done,
                                 Consumer<Throwable> failed) {
    }

    private final Runner<I, O> runner;
    private final int maxSize;
    private final int maxInFlight;
    private final Deque<Waiting<I, O>> queue = new ArrayDeque<>();
    private int inFlight;

    Batcher(Runner<I, O> runner, int maxSize, int maxInFlight) {
        this.runner = runner;
        this.maxSize = maxSize;
        this.maxInFlight = maxInFlight;
    }

    Uni<O> submit(I item) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = Vertx.currentContext();
            Waiting<I, O> waiting = new Waiting<>(item, context, emitter::complete, emitter::fail);
            List<Waiting<I, O>> batch;
            synchronized (this) {
                queue.add(waiting);
                batch = next();
            }
            if (batch != null) {
                run(batch);
            }
        });
    }

    /** The next batch to start, when a slot is free; null otherwise. Called holding the lock. */
    private List<Waiting<I, O>> next() {
        if (queue.isEmpty() || inFlight >= maxInFlight) {
            return null;
        }
        List<Waiting<I, O>> batch = new ArrayList<>(Math.min(queue.size(), maxSize));
        while (!queue.isEmpty() && batch.size() < maxSize) {
            batch.add(queue.poll());
        }
        inFlight++;
        return batch;
    }

    private void run(List<Waiting<I, O>> batch) {
        Uni<List<O>> answers;
        try {
            answers = runner.run(batch.stream().map(Waiting::item).toList());
        } catch (RuntimeException e) {
            answers = Uni.createFrom().failure(e);
        }
        answers.subscribe().with(results -> {
            finished();
            for (int i = 0; i < batch.size(); i++) {
                O result = results.get(i);
                Waiting<I, O> waiting = batch.get(i);
                deliver(waiting, () -> waiting.done().accept(result));
            }
        }, failure -> {
            finished();
            batch.forEach(waiting -> deliver(waiting, () -> waiting.failed().accept(failure)));
        });
    }

    private void finished() {
        List<Waiting<I, O>> batch;
        synchronized (this) {
            inFlight--;
            batch = next();
        }
        if (batch != null) {
            run(batch);
        }
    }

    private static void deliver(Waiting<?, ?> waiting, Runnable action) {
        if (waiting.context() == null || waiting.context() == Vertx.currentContext()) {
            action.run();
        } else {
            waiting.context().runOnContext(ignored -> action.run());
        }
    }

}
