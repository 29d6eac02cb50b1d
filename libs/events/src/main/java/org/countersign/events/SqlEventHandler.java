package org.countersign.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * An {@link EventHandler} that applies its events with a few statements on the reactive SQL client, with
 * no ORM session: libs/events opens the transaction on the service's {@code Pool}, records the event's id
 * on the same connection (a redelivered event is skipped, as for every handler) and hands the connection
 * to {@link #handle(ReceivedEvent, SqlConnection)}; the transaction commits when the returned Uni
 * succeeds and rolls back, dedup record included, when it fails. Failures, poison events,
 * {@link #afterCommit} and the order of events are as for any handler.
 */
public interface SqlEventHandler extends EventHandler {

    /**
     * Applies the event on {@code tx}, the connection of the transaction that also recorded its id. Throw
     * {@link PoisonEventException} when it can never be applied.
     */
    Uni<Void> handle(ReceivedEvent event, SqlConnection tx);

    /** Never called: libs/events calls {@link #handle(ReceivedEvent, SqlConnection)} instead. */
    @Override
    default Uni<Void> handle(ReceivedEvent event) {
        return Uni.createFrom().failure(new IllegalStateException(name() + " applies its events on a SQL connection"));
    }
}
