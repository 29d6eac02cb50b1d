package org.countersign.push.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long-polls and SSE streams waiting on this replica for a request's status to change. A waiter is
 * registered before the status is read, so that a change between the read and the wait is never
 * missed; it is woken by the status broadcast (any replica's change) or by its timer. A wake-up
 * carries nothing but "look again": any pod that can PUBLISH on Redis can send a broadcast, so the
 * waiter re-reads the status from PostgreSQL and never answers what the broadcast said. No thread is
 * parked: a waiter is an emitter and a Vert.x timer.
 */
@ApplicationScoped
public class StatusWaiters {

    /** One wait for one request; completes with true when woken by a broadcast, false at its time limit. */
    public final class Waiter {
        private final String requestId;
        private final Context context;
        private boolean woken;
        private boolean done;
        private UniEmitter<? super Boolean> emitter;
        private long timer = -1;

        private Waiter(String requestId, Context context) {
            this.requestId = requestId;
            this.context = context;
        }

        /** Waits at most {@code millis}; the item is whether a broadcast woke it (false: the time ran out, or cancelled). */
        public Uni<Boolean> await(long millis) {
            return Uni.createFrom().<Boolean>emitter(em -> {
                synchronized (this) {
                    if (done) {
                        em.complete(woken);
                        return;
                    }
                    emitter = em;
                    timer = vertx.setTimer(Math.max(1, millis), id -> finish(false));
                }
                em.onTermination(this::cancel);
            });
        }

        /** Stops waiting (the status was read final, or the caller went away). */
        public void cancel() {
            synchronized (this) {
                done = true;
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
            }
            remove(this);
        }

        private void finish(boolean byBroadcast) {
            UniEmitter<? super Boolean> target;
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                woken = byBroadcast;
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
                target = emitter;
            }
            remove(this);
            if (target != null) {
                if (context != null) {
                    context.runOnContext(v -> target.complete(byBroadcast));
                } else {
                    target.complete(byBroadcast);
                }
            }
        }
    }

    private final ConcurrentHashMap<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final Vertx vertx;

    public StatusWaiters(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Registers interest in a request before its status is read; the answer comes on the caller's Vert.x context. */
    public Waiter register(String requestId) {
        Waiter waiter = new Waiter(requestId, io.vertx.core.Vertx.currentContext());
        waiting.computeIfAbsent(requestId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
        return waiter;
    }

    /**
     * A request's status may have changed (a broadcast from any replica, which proves nothing): every
     * waiter of it here wakes up, to re-read the status from PostgreSQL.
     */
    public void wake(String requestId) {
        Set<Waiter> waiters = waiting.remove(requestId);
        if (waiters != null) {
            waiters.forEach(w -> w.finish(true));
        }
    }

    private void remove(Waiter waiter) {
        waiting.computeIfPresent(waiter.requestId, (id, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /** How many wait for the request here. */
    public int waitingOn(String requestId) {
        Set<Waiter> set = waiting.get(requestId);
        return set == null ? 0 : set.size();
    }

    public int size() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }
}
