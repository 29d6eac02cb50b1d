package org.countersign.push.service;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs work that touches Hibernate Reactive from a place that has no request of its own (a timer):
 * on a new duplicated Vert.x context, marked safe, as Hibernate Reactive requires.
 */
final class DetachedWork {

    private static final Logger LOG = Logger.getLogger(DetachedWork.class);

    private DetachedWork() {
    }

    static void run(Vertx vertx, String what, Supplier<Uni<?>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(v -> work.get().subscribe().with(ok -> { }, e -> LOG.warnf("%s failed: %s", what, e.toString())));
    }
}
