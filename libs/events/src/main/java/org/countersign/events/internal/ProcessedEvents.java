package org.countersign.events.internal;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The consumer-side record of applied events, written in the handler's transaction. */
@ApplicationScoped
public class ProcessedEvents {

    private static final String INSERT = "INSERT INTO processed_events (consumer, event_id, processed_at)"
            + " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

    /** @return true when the event is new to this consumer; false when it was applied before */
    public Uni<Boolean> markProcessed(String consumer, String eventId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .setParameter(3, OffsetDateTime.now(ZoneOffset.UTC))
                .executeUpdate()).map(rows -> rows == 1);
    }
}
