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

    /**
     * The rules a schema states beyond its properties: an online activation carries the device's key and
     * certificate and an offline one none; a credential carries exactly one sealed secret; an otpauth
     * registration names its OTP parameters and a migration its instance.
     */
    @Test
    void conditionalRules_acceptWhatIsRight_refuseTheRest() throws Exception {
        String ids = "\"registrationId\":\"r-1\",\"instanceId\":\"i-1\",\"userId\":\"alice\",\"domain\":\"acme.test\","
                + "\"serialNumber\":\"SN-1\"";
        String key = "\"publicKey\":\"" + "A".repeat(122) + "\",\"certificate\":\"" + "B".repeat(400) + "\"";
        String activated = "{" + ids + ",\"otp\":\"totp:sha1:6:30\",\"activatedAt\":\"2026-11-23T10:15:00Z\",";
        assertConforms(true, "authenticator-activated", activated + "\"mode\":\"offline\"}");
        assertConforms(true, "authenticator-activated", activated + "\"mode\":\"otpauth\"}");
        assertConforms(true, "authenticator-activated", activated + "\"mode\":\"online\"," + key
                + ",\"platform\":\"android\",\"biometric\":true,\"pushToken\":\"fcm:token-1\",\"deviceName\":\"Alice's phone\"}");
        assertConforms(false, "authenticator-activated", activated + "\"mode\":\"online\",\"platform\":\"ios\",\"biometric\":false}");
        assertConforms(false, "authenticator-activated", activated + "\"mode\":\"offline\"," + key + "}");
        assertConforms(false, "authenticator-activated", activated + "\"mode\":\"online\"," + key
                + ",\"platform\":\"symbian\",\"biometric\":true}");

        String migrated = "{" + ids + "," + key + ",\"platform\":\"ios\",\"biometric\":false,\"migratedAt\":\"2026-11-23T10:15:00Z\"";
        assertConforms(true, "device-migrated", migrated + "}");
        assertConforms(false, "device-migrated", migrated.replace(",\"biometric\":false", "") + "}");

        String sealed = "\"v2.test.AAAA\"";
        String credential = "{\"instanceId\":\"i-1\",\"userId\":\"alice\",\"domain\":\"acme.test\",\"serialNumber\":\"SN-1\","
                + "\"otp\":\"totp:sha1:6:30\",\"provisionedAt\":\"2026-11-23T10:15:00Z\"";
        assertConforms(true, "credential-provisioned", credential + ",\"sealedInstanceSecret\":" + sealed + "}");
        assertConforms(true, "credential-provisioned", credential + ",\"sealedOtpKey\":" + sealed + ",\"lastUsedStep\":58333333}");
        assertConforms(false, "credential-provisioned", credential + "}");
        // The development format before values were bound to their owner is no longer written nor read.
        assertConforms(false, "credential-provisioned", credential + ",\"sealedInstanceSecret\":\"v1.test.AAAA\"}");
        // Values sealed in spans of one HPKE context (v3), and v2 from before them, both conform.
        assertConforms(true, "credential-provisioned", credential + ",\"sealedInstanceSecret\":\"v3.test.AAAA\"}");
        assertConforms(false, "credential-provisioned", credential + ",\"sealedInstanceSecret\":\"v4.test.AAAA\"}");
        assertConforms(false, "credential-provisioned", credential + ",\"sealedInstanceSecret\":" + sealed + ",\"sealedOtpKey\":"
                + sealed + "}");

        String pending = "{\"registrationId\":\"r-1\",\"userId\":\"alice\",\"domain\":\"acme.test\",\"serialNumber\":\"SN-1\","
                + "\"sealedActivationPassword\":" + sealed + ",\"expiresAt\":\"2026-11-23T10:15:00Z\",";
        assertConforms(true, "registration-pending", pending + "\"activationType\":\"otpauth\",\"otp\":\"totp:sha1:6:30\"}");
        assertConforms(false, "registration-pending", pending + "\"activationType\":\"otpauth\"}");
        assertConforms(false, "registration-pending", pending + "\"activationType\":\"online\",\"otp\":\"totp:sha1:6:30\"}");
        assertConforms(false, "registration-pending", pending + "\"activationType\":\"otpauth\",\"otp\":\"hotp:sha1:6\"}");
        assertConforms(true, "registration-pending", pending + "\"activationType\":\"migrate\",\"instanceId\":\"i-1\"}");
        assertConforms(false, "registration-pending", pending + "\"activationType\":\"migrate\"}");
    }

    private static void assertConforms(boolean expected, String name, String payload) throws Exception {
        EventType type = EventTypes.ALL.stream().filter(t -> t.ceType().contains("." + name + ".")).findFirst().orElseThrow();
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(read(type.schemaResource()));
        var messages = schema.validate(JSON.readTree(payload));
        assertEquals(expected, messages.isEmpty(), name + " " + payload + ": " + messages);
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
