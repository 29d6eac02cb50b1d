package org.countersign.otp.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * How concurrent checks share a statement: alone while a slot is free, together (in arrival order,
 * up to the size limit) while every slot is busy, each answer to its own asker, a failure only to
 * the askers of that batch. The "statement" here is a function whose batches the test completes by hand.
 */
class BatcherTest {

    /** Records each batch it is given and lets the test finish it. */
    static final class Statements implements Batcher.Runner<Integer, String> {
        final List<List<Integer>> batches = new ArrayList<>();
        final List<UniEmitter<? super List<String>>> pending = new ArrayList<>();

        @Override
        public Uni<List<String>> run(List<Integer> items) {
            batches.add(items);
            return Uni.createFrom().emitter(pending::add);
        }

        void answer(int batch) {
            pending.get(batch).complete(batches.get(batch).stream().map(i -> "answer-" + i).toList());
        }
    }

    @Test
    void whileEverySlotIsBusy_laterAsksGoTogether_eachGetsItsOwnAnswer() throws Exception {
        Statements statements = new Statements();
        Batcher<Integer, String> batcher = new Batcher<>(statements, 3, 1);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(batcher.submit(i).subscribeAsCompletionStage());
        }
        assertEquals(List.of(List.of(0)), statements.batches, "the first goes alone, at once");
        statements.answer(0);
        assertEquals(List.of(1, 2, 3), statements.batches.get(1), "the next three queued meanwhile, up to the limit");
        statements.answer(1);
        assertEquals(List.of(4), statements.batches.get(2));
        statements.answer(2);
        for (int i = 0; i < 5; i++) {
            assertEquals("answer-" + i, answers.get(i).get());
        }
    }

    @Test
    void withFreeSlots_nothingWaits() {
        Statements statements = new Statements();
        Batcher<Integer, String> batcher = new Batcher<>(statements, 64, 2);
        batcher.submit(1).subscribeAsCompletionStage();
        batcher.submit(2).subscribeAsCompletionStage();
        assertEquals(List.of(List.of(1), List.of(2)), statements.batches);
    }

    @Test
    void aFailedBatch_failsItsOwnAskersOnly() throws Exception {
        Statements statements = new Statements();
        Batcher<Integer, String> batcher = new Batcher<>(statements, 64, 1);
        CompletableFuture<String> first = batcher.submit(1).subscribeAsCompletionStage();
        CompletableFuture<String> second = batcher.submit(2).subscribeAsCompletionStage();
        statements.pending.get(0).fail(new IllegalStateException("the database went away"));
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, first::get);
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        statements.answer(1);
        assertEquals("answer-2", second.get());
        assertTrue(second.isDone());
    }
}
