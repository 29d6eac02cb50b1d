package org.countersign.provisioning.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A call waiting for its registration wakes when this replica records it, not at its next look: the
 * waits here are a minute long, and each test gives up after ten seconds.
 */
class RegistrationArrivalsTest {

    private static final long A_MINUTE = 60_000;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
    }

    @Test
    void aWaitingCall_wakesWhenItsRegistrationIsRecorded_onItsOwnContext() throws Exception {
        RegistrationArrivals arrivals = new RegistrationArrivals(vertx);
        Context context = vertx.getDelegate().getOrCreateContext();
        CompletableFuture<Context> wokenOn = new CompletableFuture<>();
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        context.runOnContext(v -> {
            arrivals.pause("rid-1", A_MINUTE).subscribe().with(done -> wokenOn.complete(io.vertx.core.Vertx.currentContext()),
                    wokenOn::completeExceptionally);
            waiting.complete(null);
        });
        waiting.get(10, TimeUnit.SECONDS);
        arrivals.recorded("rid-2");
        assertFalse(wokenOn.isDone(), "another registration wakes nobody");
        arrivals.recorded("rid-1");
        assertSame(context, wokenOn.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aRegistrationRecordedJustBeforeTheWait_endsItAtOnce() throws Exception {
        RegistrationArrivals arrivals = new RegistrationArrivals(vertx);
        arrivals.recorded("rid-3");
        arrivals.pause("rid-3", A_MINUTE).subscribeAsCompletionStage().get(10, TimeUnit.SECONDS);
    }

    @Test
    void withoutTheRegistration_theWaitEndsAtItsTime_andTwoCallsForOneRegistrationBothWake() throws Exception {
        RegistrationArrivals arrivals = new RegistrationArrivals(vertx);
        arrivals.pause("rid-4", 20).subscribeAsCompletionStage().get(10, TimeUnit.SECONDS);

        CompletableFuture<Void> first = arrivals.pause("rid-5", A_MINUTE).subscribeAsCompletionStage();
        CompletableFuture<Void> second = arrivals.pause("rid-5", A_MINUTE).subscribeAsCompletionStage();
        assertTrue(arrivals.anyWaiting(), "the consumer is told that calls wait");
        assertEquals(2, arrivals.waitingCalls());
        arrivals.recorded("rid-5");
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertEquals(0, arrivals.waitingCalls(), "a woken or timed-out call is not counted as waiting");
        assertEquals(0, arrivals.heldWaits(), "a woken or timed-out call leaves nothing behind");
        assertFalse(arrivals.anyWaiting());
    }
}
