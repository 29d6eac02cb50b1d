package org.countersign.events;

import java.util.Objects;

/**
 * An event a service is about to record with its state change.
 *
 * @param key     the record key, {@link EventKey#of}
 * @param subject the ce_subject: what the event is about, e.g. a registration or instance id
 * @param data    the payload record, serialised as JSON; secrets in it must be {@code SealedValue}s
 */
public record EventDraft(EventType type, String key, String subject, Object data) {

    public EventDraft {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
    }
}
