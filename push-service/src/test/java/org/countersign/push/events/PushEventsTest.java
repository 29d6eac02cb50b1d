package org.countersign.push.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.events.Topics;
import org.countersign.push.ChannelClient;
import org.countersign.push.PushTestBase;
import org.countersign.push.TestDevice;
import org.countersign.testing.TopicReader;
import org.junit.jupiter.api.Test;

/**
 * What countersign.push.v1 carries for one approval, in order and as CloudEvents, and what it never
 * carries: the message, the fields, the challenge or the signature. Nor does the log.
 */
@QuarkusTest
class PushEventsTest extends PushTestBase {

    private static final String MESSAGE = "Pay 4,321.00 EUR to Quentin Quaestor";
    private static final String FIELD_VALUE = "DE89 3704 0044 0532 0130 00";

    @Test
    void approval_eventsInOrder_carryTheDataHashOnly() throws Exception {
        String user = freshUser("quinn");
        TestDevice device = onlineDevice(user);
        enable(user);
        String signature;
        JsonNode request;
        try (ChannelClient channel = ChannelClient.connect(RestAssured.port, device.bearer(clock.instant()))) {
            channel.next("welcome");
            JsonNode created = createRequest(user, MESSAGE, "[{\"name\":\"IBAN\",\"value\":\"" + FIELD_VALUE + "\"}]");
            request = channel.next("push-request");
            int display = created.path("displayNumber").asInt();
            signature = device.sign(request.path("requestId").asText(), request.path("challenge").asText(), dataHash(request),
                    "approve", display);
            answer(device, request, "approve", display).statusCode(200);
        }
        awaitTrue(() -> pushEventTypes(user).size() == 5, "five events");
        assertEquals(List.of("user.push-enabled-changed", "device.device-connected", "push.push-requested", "push.push-approved",
                "device.device-disconnected"), pushEventTypes(user));
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(bootstrap, prefix + Topics.PUSH,
                r -> (user + "@" + DOMAIN).equals(r.key()));
        for (ConsumerRecord<String, byte[]> record : records) {
            String data = new String(record.value(), StandardCharsets.UTF_8);
            for (String secret : new String[] {MESSAGE, "Quentin", FIELD_VALUE, "IBAN", request.path("challenge").asText(), signature}) {
                assertFalse(data.contains(secret), "an event carries " + secret);
            }
            assertEquals("1.0", TopicReader.header(record, "ce_specversion"));
            assertEquals("/countersign/push-service", TopicReader.header(record, "ce_source"));
            assertTrue(TopicReader.header(record, "ce_dataschema").startsWith("https://countersign.org/schemas/events/"));
        }
        JsonNode requested = pushEvents(user).get(2);
        assertEquals(dataHash(request), requested.path("dataHash").asText());
        assertEquals(1, requested.path("devices").asInt());
        assertTrue(requested.path("numberMatching").asBoolean());

        String log = Files.readString(Path.of("target/push-test.log"), StandardCharsets.UTF_8);
        assertFalse(log.contains(MESSAGE) || log.contains(FIELD_VALUE), "the log carries a request's text");
    }
}
