package org.countersign.events;

import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * Applies events of some types to a service's state. A bean implementing this is run by libs/events:
 * {@link #handle} runs inside a database transaction that also records the event's id, so a
 * redelivered event is skipped, and an event that cannot be applied goes to the dead-letter topic.
 */
public interface EventHandler {

    /** A stable name, unique in the service: part of the consumer group and of the dedup records. */
    String name();

    /** The event types this handler applies; any other type on its topics is a dead letter. */
    Set<EventType> types();

    /**
     * Whether this event, of one of {@link #types()}, can change anything here. One that cannot (push-service
     * and an offline activation, say) is passed over like a type this handler does not take: no transaction,
     * no dedup record, as it has nothing to apply twice, and no check against its schema, which is made only
     * for the events a handler takes. So this reads only what it needs and may meet data that breaks the
     * schema: an exception parks the event (as a schema violation, where it is one). Decided on the event
     * alone, never on state.
     */
    default boolean concerns(ReceivedEvent event) {
        return true;
    }

    /** Applies the event. Throw {@link PoisonEventException} when it can never be applied. */
    Uni<Void> handle(ReceivedEvent event);

    /**
     * Whether a request waits for one of this handler's events right now (a phone that enrols before its
     * registration's event has come, say). While it does, the consumer polls again as soon as it has applied
     * a poll instead of letting the next events gather ({@code consumers.batch-wait}): the wait would be the
     * request's. Asked every millisecond while the consumer gathers: answer from memory.
     */
    default boolean awaited() {
        return false;
    }

    /**
     * Runs once the transaction that applied the event has committed (not for a redelivered event that was
     * skipped): the place for caches that others read as "the row exists", which written inside the
     * transaction could be seen before the row is. A failure here is logged; the event stays applied.
     */
    default Uni<Void> afterCommit(ReceivedEvent event) {
        return Uni.createFrom().voidItem();
    }
}
