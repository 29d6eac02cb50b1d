package org.countersign.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.countersign.events.internal.EventSchemas;

/**
 * Records events in the same database transaction as the state change they describe; the relay
 * publishes them after commit. A rolled-back transaction therefore publishes nothing, and a committed
 * one is published even if Kafka is down at the time.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "INSERT INTO outbox_events (event_id, topic, event_key, event_type, subject,"
            + " data_schema, occurred_at, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

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
        UUID id = UUID.randomUUID();
        String payload;
        try {
            payload = mapper.writeValueAsString(draft.data());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "The payload of " + draft.type().ceType() + " cannot be serialised: " + e.getOriginalMessage()));
        }
        if (config.validateOutgoing()) {
            schemas.requireValid(draft.type(), payload);
        }
        return Panache.getSession().chain(session -> {
            if (session.currentTransaction() == null) {
                return Uni.createFrom().failure(new IllegalStateException(
                        "Outbox.add runs inside the transaction of the state change (@WithTransaction)"));
            }
            return session.createNativeQuery(INSERT)
                    .setParameter(1, id)
                    .setParameter(2, config.prefix() + draft.type().topic())
                    .setParameter(3, draft.key())
                    .setParameter(4, draft.type().ceType())
                    .setParameter(5, draft.subject())
                    .setParameter(6, draft.type().dataSchema().toString())
                    .setParameter(7, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                    .setParameter(8, payload)
                    .executeUpdate();
        }).replaceWith(id);
    }
}
