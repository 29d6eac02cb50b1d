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
 * missed; it is woken by the status broadcast (any replica's change) or by its timer. No thread is
 * parked: a waiter is an emitter and a Vert.x timer.
 */
@ApplicationScoped
public class StatusWaiters {

    /** One wait for one request; completes with the new status, or with null at its time limit. */
    public final class Waiter {
        private final String requestId;
        private final Context context;
        private RequestView result;
        private boolean done;
        private UniEmitter<? super RequestView> emitter;
        private long timer = -1;

        private Waiter(String requestId, Context context) {
            this.requestId = requestId;
            this.context = context;
        }

        /** Waits at most {@code millis}; the item is null when nothing changed in time. */
        public Uni<RequestView> await(long millis) {
            return Uni.createFrom().<RequestView>emitter(em -> {
                synchronized (this) {
                    if (done) {
                        em.complete(result);
                        return;
                    }
                    emitter = em;
                    timer = vertx.setTimer(Math.max(1, millis), id -> finish(null));
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

        private void finish(RequestView view) {
            UniEmitter<? super RequestView> target;
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                result = view;
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
                target = emitter;
            }
            remove(this);
            if (target != null) {
                if (context != null) {
                    context.runOnContext(v -> target.complete(view));
                } else {
                    target.complete(view);
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

    /** A request's status changed (on any replica): every waiter of it here gets the new status. */
    public void changed(RequestView view) {
        Set<Waiter> waiters = waiting.remove(view.requestId());
        if (waiters != null) {
            waiters.forEach(w -> w.finish(view));
        }
    }

    private void remove(Waiter waiter) {
        waiting.computeIfPresent(waiter.requestId, (id, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    public int size() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }
}
