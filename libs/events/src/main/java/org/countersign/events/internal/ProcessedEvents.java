package org.countersign.events.internal;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The consumer-side record of applied events, written in the handler's transaction. */
@ApplicationScoped
public class ProcessedEvents {

    private static final String INSERT = "INSERT INTO processed_events (consumer, event_id, processed_at)"
            + " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

    private static final String INSERT_SQL = "INSERT INTO processed_events (consumer, event_id, processed_at)"
            + " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

    /** @return true when the event is new to this consumer; false when it was applied before */
    public Uni<Boolean> markProcessed(String consumer, String eventId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .setParameter(3, OffsetDateTime.now(ZoneOffset.UTC))
                .executeUpdate()).map(rows -> rows == 1);
    }

    /** As {@link #markProcessed(String, String)}, on the connection of a transaction of the reactive SQL client. */
    public Uni<Boolean> markProcessed(SqlConnection tx, String consumer, String eventId) {
        return tx.preparedQuery(INSERT_SQL).execute(Tuple.of(consumer, eventId, OffsetDateTime.now(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }
}
