package org.countersign.events.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.countersign.events.EventType;

/** The JSON Schema of each event type, loaded once from the classpath. */
@ApplicationScoped
public class EventSchemas {

    private final ObjectMapper mapper;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    public EventSchemas(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The reasons the payload breaks its schema; empty when it conforms. */
    public List<String> violations(EventType type, JsonNode payload) {
        Set<ValidationMessage> messages = schema(type).validate(payload);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    public void requireValid(EventType type, String payload) {
        List<String> violations;
        try {
            violations = violations(type, mapper.readTree(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The payload of " + type.ceType() + " is not JSON");
        }
        if (!violations.isEmpty()) {
            throw new IllegalStateException("The payload of " + type.ceType() + " breaks its schema: " + violations);
        }
    }

    private JsonSchema schema(EventType type) {
        return schemas.computeIfAbsent(type.ceType(), key -> {
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(type.schemaResource())) {
                if (in == null) {
                    throw new IllegalStateException("No schema for " + type.ceType() + " at " + type.schemaResource());
                }
                return factory.getSchema(mapper.readTree(in));
            } catch (IOException e) {
                throw new IllegalStateException("The schema of " + type.ceType() + " cannot be read", e);
            }
        });
    }
}
