package org.countersign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.countersign.events.payload.EventTypes;
import org.junit.jupiter.api.Test;

/** The schemas, the payload records and asyncapi.yaml describe the same events. */
class EventCatalogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySchema_isValidDraft202012_andMatchesItsRecord() throws Exception {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<String> problems = new ArrayList<>();
        for (EventType type : EventTypes.ALL) {
            JsonNode schema = read(type.schemaResource());
            meta.validate(schema).forEach(m -> problems.add(type.ceType() + ": " + m.getMessage()));
            if (!type.dataSchema().toString().equals(schema.path("$id").asText())) {
                problems.add(type.ceType() + ": $id is not " + type.dataSchema());
            }
            Set<String> properties = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(properties::add);
            Class<?> record = Class.forName("org.countersign.events.payload." + schema.path("title").asText());
            Set<String> components = new TreeSet<>(Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList());
            if (!properties.equals(components)) {
                problems.add(type.ceType() + ": schema properties " + properties + " but record components " + components);
            }
            if (!schema.path("additionalProperties").isBoolean() || schema.path("additionalProperties").asBoolean()) {
                problems.add(type.ceType() + ": the schema must refuse unknown properties");
            }
            if (type.topic().startsWith("countersign.internal.") == false && schema.toString().contains("sealed")) {
                problems.add(type.ceType() + ": a public topic carries no secret, not even sealed");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void asyncApi_describesEveryTopicAndEveryEventType() throws Exception {
        JsonNode doc;
        try (InputStream in = resource("asyncapi.yaml")) {
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        assertEquals("3.0.0", doc.path("asyncapi").asText());
        Set<String> addresses = new TreeSet<>();
        doc.path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        assertEquals(new TreeSet<>(Topics.ALL), addresses);
        for (EventType type : EventTypes.ALL) {
            String name = read(type.schemaResource()).path("title").asText();
            JsonNode message = doc.path("components").path("messages").path(name);
            assertTrue(message.isObject(), "asyncapi.yaml has no message " + name);
            assertEquals(type.ceType(), message.path("title").asText());
            assertEquals("./" + type.schemaResource(), message.path("payload").path("$ref").asText());
            boolean onItsChannel = false;
            for (JsonNode channel : doc.path("channels")) {
                if (channel.path("address").asText().equals(type.topic()) && channel.path("messages").has(name)) {
                    onItsChannel = true;
                }
            }
            assertTrue(onItsChannel, name + " is listed on the channel of " + type.topic());
        }
    }

    private static JsonNode read(String resource) throws Exception {
        try (InputStream in = resource(resource)) {
            return JSON.readTree(in);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = EventCatalogTest.class.getClassLoader().getResourceAsStream(name);
        assertNotNull(in, name + " is on the classpath");
        return in;
    }
}
