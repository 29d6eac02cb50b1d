package org.countersign.events.internal;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The consumer-side record of applied events, written in the handler's transaction. */
@ApplicationScoped
public class ProcessedEvents {

    private static final String INSERT = "INSERT INTO processed_events (consumer, event_id, processed_at)"
            + " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

    /** Many at once; an id twice in the list is inserted once (ON CONFLICT DO NOTHING also holds within a statement). */
    private static final String INSERT_ALL_SQL = "INSERT INTO processed_events (consumer, event_id, processed_at)"
            + " SELECT $1, e.id, $3 FROM unnest(CAST($2 AS varchar[])) AS e(id) ON CONFLICT DO NOTHING RETURNING event_id";

    /** @return true when the event is new to this consumer; false when it was applied before */
    public Uni<Boolean> markProcessed(String consumer, String eventId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .setParameter(3, OffsetDateTime.now(ZoneOffset.UTC))
                .executeUpdate()).map(rows -> rows == 1);
    }

    /**
     * As {@link #markProcessed(String, String)}, on the connection of a transaction of the reactive SQL client,
     * for one event or a poll's events in one statement.
     *
     * @return the ids new to this consumer (each once, however often it is in the list)
     */
    public Uni<Set<String>> markProcessed(SqlConnection tx, String consumer, List<String> eventIds) {
        return tx.preparedQuery(INSERT_ALL_SQL)
                .execute(Tuple.of(consumer, eventIds.toArray(String[]::new), OffsetDateTime.now(ZoneOffset.UTC)))
                .map(rows -> {
                    Set<String> fresh = new HashSet<>();
                    rows.forEach(row -> fresh.add(row.getString(0)));
                    return fresh;
                });
    }
}
