package org.countersign.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.countersign.events.internal.EventSchemas;

/**
 * Records events in the same database transaction as the state change they describe; the relay
 * publishes them after commit. A rolled-back transaction therefore publishes nothing, and a committed
 * one is published even if Kafka is down at the time.
 */
@ApplicationScoped
public class Outbox {

    /** The outbox row's columns, in the order of {@link Row}'s components, for statements that write one themselves. */
    public static final String COLUMNS = "event_id, topic, event_key, event_type, subject, data_schema, occurred_at, payload";

    private static final String INSERT = "INSERT INTO outbox_events (" + COLUMNS + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

    /**
     * An event rendered as its outbox row: what {@link #add} inserts, for a service that writes the
     * row inside a statement of its own (for example a conditional INSERT in the same statement as
     * the state change, one round trip instead of a transaction of several). Its payload was
     * serialised and, where configured, validated against its schema.
     */
    public record Row(UUID id, String topic, String key, String type, String subject, String dataSchema,
                      OffsetDateTime occurredAt, String payload) {
    }

    /**
     * For a statement that writes its state change and its events at once (the reactive client, no ORM
     * session): an {@code INSERT} of the rows {@link #bindRows} bound as eight array parameters from
     * {@code $first}, in the order given (so the relay publishes them in that order), written only where
     * {@code condition} holds, for example {@code EXISTS (SELECT 1 FROM moved)} of a CTE that made the change.
     */
    public static String insertRows(int first, String condition) {
        String[] types = {"uuid", "varchar", "varchar", "varchar", "varchar", "varchar", "timestamptz", "text"};
        StringBuilder arrays = new StringBuilder();
        for (int i = 0; i < types.length; i++) {
            arrays.append(i == 0 ? "" : ", ").append("CAST($").append(first + i).append(" AS ").append(types[i]).append("[])");
        }
        return "INSERT INTO outbox_events (" + COLUMNS + ") SELECT " + COLUMNS + " FROM unnest(" + arrays
                + ") WITH ORDINALITY AS e(" + COLUMNS + ", n) WHERE " + condition + " ORDER BY n";
    }

    /** Adds the eight array parameters of {@link #insertRows} for these rows, in their order. */
    public static Tuple bindRows(Tuple parameters, List<Row> rows) {
        return parameters.addArrayOfUUID(rows.stream().map(Row::id).toArray(UUID[]::new))
                .addArrayOfString(rows.stream().map(Row::topic).toArray(String[]::new))
                .addArrayOfString(rows.stream().map(Row::key).toArray(String[]::new))
                .addArrayOfString(rows.stream().map(Row::type).toArray(String[]::new))
                .addArrayOfString(rows.stream().map(Row::subject).toArray(String[]::new))
                .addArrayOfString(rows.stream().map(Row::dataSchema).toArray(String[]::new))
                .addArrayOfOffsetDateTime(rows.stream().map(Row::occurredAt).toArray(OffsetDateTime[]::new))
                .addArrayOfString(rows.stream().map(Row::payload).toArray(String[]::new));
    }

    private final ObjectMapper mapper;
    private final EventSchemas schemas;
    private final EventsConfig config;
    private final Clock clock;

    public Outbox(ObjectMapper mapper, EventSchemas schemas, EventsConfig config) {
        // Events leave absent fields out rather than writing null, as their schemas expect.
        this.mapper = mapper.copy().setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
        this.schemas = schemas;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** Adds an event to the current transaction. Must be called inside {@code @WithTransaction}. */
    public Uni<UUID> add(EventDraft draft) {
        Row row;
        try {
            row = row(draft);
        } catch (IllegalStateException e) {
            return Uni.createFrom().failure(e);
        }
        return Panache.getSession().chain(session -> {
            if (session.currentTransaction() == null) {
                return Uni.createFrom().failure(new IllegalStateException(
                        "Outbox.add runs inside the transaction of the state change (@WithTransaction)"));
            }
            return session.createNativeQuery(INSERT)
                    .setParameter(1, row.id())
                    .setParameter(2, row.topic())
                    .setParameter(3, row.key())
                    .setParameter(4, row.type())
                    .setParameter(5, row.subject())
                    .setParameter(6, row.dataSchema())
                    .setParameter(7, row.occurredAt())
                    .setParameter(8, row.payload())
                    .executeUpdate();
        }).replaceWith(row.id());
    }

    /**
     * The outbox row of an event, for a statement that inserts it in the same transaction as its state
     * change (the caller's duty, as with {@link #add}).
     *
     * @throws IllegalStateException when the payload cannot be serialised or breaks its schema
     */
    public Row row(EventDraft draft) {
        String payload;
        try {
            payload = mapper.writeValueAsString(draft.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The payload of " + draft.type().ceType() + " cannot be serialised: "
                    + e.getOriginalMessage());
        }
        if (config.validateOutgoing()) {
            schemas.requireValid(draft.type(), payload);
        }
        return new Row(UUID.randomUUID(), config.prefix() + draft.type().topic(), draft.key(), draft.type().ceType(),
                draft.subject(), draft.type().dataSchema().toString(),
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), payload);
    }
}
