package org.countersign.provisioning.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wakes a device call that waits for its registration's RegistrationPending as soon as this replica
 * has recorded the event, instead of at the call's next look at the table: a phone posts its CSR the
 * moment the app has the enrolment code, before the event has come, and a fixed poll added its whole
 * first interval (100 ms) to every such enrolment. A registration recorded by another replica still
 * reaches the call at its next look.
 */
@ApplicationScoped
public class RegistrationArrivals {

    /** Far more than the registrations recorded while a call checks the table and starts to wait. */
    static final int RECENT = 4_096;

    private final Vertx vertx;
    private final Map<String, List<Runnable>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger waitingNow = new AtomicInteger();
    private final Map<String, Boolean> recent = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT;
        }
    };

    public RegistrationArrivals(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The registration's row is committed here: wake the calls waiting for it. */
    public void recorded(String registrationId) {
        synchronized (recent) {
            recent.put(registrationId, Boolean.TRUE);
        }
        List<Runnable> woken = waiting.remove(registrationId);
        if (woken != null) {
            woken.forEach(Runnable::run);
        }
    }

    /**
     * Completes after {@code millis}, or as soon as the registration is recorded here (at once when it
     * was, moments ago), on the caller's Vert.x context, so that a session opened there stays on it.
     */
    public Uni<Void> pause(String registrationId, long millis) {
        Context context = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom().emitter(done -> {
            AtomicBoolean finished = new AtomicBoolean();
            waitingNow.incrementAndGet();
            long[] timer = {-1};
            Runnable wake = () -> {
                if (finished.compareAndSet(false, true)) {
                    waitingNow.decrementAndGet();
                    vertx.cancelTimer(timer[0]);
                    if (context == null) {
                        done.complete(null);
                    } else {
                        context.runOnContext(v -> done.complete(null));
                    }
                }
            };
            timer[0] = vertx.setTimer(millis, id -> {
                if (finished.compareAndSet(false, true)) {
                    waitingNow.decrementAndGet();
                    forget(registrationId, wake);
                    done.complete(null);
                }
            });
            waiting.compute(registrationId, (id, list) -> {
                List<Runnable> calls = list == null ? new ArrayList<>(1) : list;
                calls.add(wake);
                return calls;
            });
            boolean alreadyRecorded;
            synchronized (recent) {
                alreadyRecorded = recent.containsKey(registrationId);
            }
            if (alreadyRecorded) {
                forget(registrationId, wake);
                wake.run();
            }
        });
    }

    /** Whether a call waits for a registration now: the consumer then does not let events gather. */
    public boolean anyWaiting() {
        return waitingNow.get() > 0;
    }

    /** The calls waiting now, over all registrations. */
    public int waitingCalls() {
        return waitingNow.get();
    }

    /** The waits held for registrations (each waiting call's), for the tests: none once every call has woken. */
    int heldWaits() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    private void forget(String registrationId, Runnable wake) {
        waiting.computeIfPresent(registrationId, (id, list) -> {
            list.remove(wake);
            return list.isEmpty() ? null : list;
        });
    }
}
