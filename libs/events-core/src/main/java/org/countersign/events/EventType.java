package org.countersign.events;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * One kind of event: its CloudEvents type, the topic it travels on, and its JSON Schema, kept at
 * {@code schemas/<ceType>.json} on the classpath. A breaking change makes a new type with a new
 * version; a type name is never reused.
 *
 * @param ceType for example {@code org.countersign.activation.authenticator-activated.v1}
 */
public record EventType(String ceType, String topic) {

    private static final Pattern CE_TYPE = Pattern.compile("org\\.countersign\\.[a-z-]+\\.[a-z-]+\\.v[1-9][0-9]*");
    public static final String SCHEMA_BASE = "https://countersign.org/schemas/events/";

    public EventType {
        if (ceType == null || !CE_TYPE.matcher(ceType).matches()) {
            throw new IllegalArgumentException("A ce_type reads org.countersign.<aggregate>.<kebab-name>.v<N>: " + ceType);
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("An event type needs a topic");
        }
    }

    /** The ce_dataschema URI. */
    public URI dataSchema() {
        return URI.create(SCHEMA_BASE + ceType + ".json");
    }

    /** Where the schema lives on the classpath. */
    public String schemaResource() {
        return "schemas/" + ceType + ".json";
    }
}
