package org.countersign.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;

/** An event as a handler sees it: the CloudEvents attributes, the key and the JSON data. */
public record ReceivedEvent(String id, EventType type, String source, String subject, OffsetDateTime time, String key,
                            JsonNode data, ObjectMapper mapper) {

    /** The data as a payload record. */
    public <T> T data(Class<T> payload) {
        try {
            return mapper.treeToValue(data, payload);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("The data of " + type.ceType() + " does not fit " + payload.getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "ReceivedEvent[" + type.ceType() + " " + id + " key=" + key + "]";
    }
}
