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
 * carries: the message, the fields, the challenge or the signature. Nor does the log, nor Redis, with
 * the device's tokens, its push token and the FCM credentials besides.
 */
@QuarkusTest
class PushEventsTest extends PushTestBase {

    @jakarta.inject.Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

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

    @Test
    void wokenThroughFcm_polled_answered_noSecretInTheLogTheTopicOrRedis() throws Exception {
        String user = freshUser("rosa");
        String pushToken = "ok-secret-push-token-" + java.util.UUID.randomUUID();
        TestDevice device = onlineDevice(user, "android", true, pushToken);
        enable(user);
        JsonNode created = createRequest(user, MESSAGE, "[{\"name\":\"IBAN\",\"value\":\"" + FIELD_VALUE + "\"}]");
        String requestId = created.path("requestId").asText();
        awaitTrue(() -> !org.countersign.push.ProviderFakes.receivedFor(pushToken).isEmpty(), "FCM wakes the device");
        String accessToken = org.countersign.push.ProviderFakes.receivedFor(pushToken).get(0).headers().get("authorization")
                .substring("Bearer ".length());
        String pollToken = device.token(clock.instant());
        JsonNode pending = JSON.readTree(RestAssured.given().header("Authorization", "Bearer " + pollToken).when()
                .get("/api/v1/devices/me/pending").then().statusCode(200).extract().asString());
        JsonNode request = pending.path("requests").get(0);
        assertEquals(requestId, request.path("requestId").asText());
        int display = created.path("displayNumber").asInt();
        String signature = device.sign(requestId, request.path("challenge").asText(), dataHash(request), "approve", display);
        String answerToken = device.token(clock.instant());
        RestAssured.given().header("Authorization", "Bearer " + answerToken).contentType("application/json")
                .body("{\"decision\":\"approve\",\"selectedNumber\":" + display + ",\"signature\":\"" + signature + "\"}")
                .when().post("/api/v1/push/requests/" + requestId + "/response").then().statusCode(200);
        awaitTrue(() -> pushEventTypes(user).contains("push.push-approved"), "PushApproved is published");

        List<String> secrets = List.of(MESSAGE, FIELD_VALUE, pushToken, pollToken, answerToken, signature,
                request.path("challenge").asText(), accessToken,
                java.util.Base64.getEncoder().encodeToString(org.countersign.push.ProviderFakes.fcmKey().getPrivate().getEncoded()).substring(0, 40),
                java.util.Base64.getEncoder().encodeToString(org.countersign.push.ProviderFakes.apnsKey().getPrivate().getEncoded()).substring(0, 40));
        String log = Files.readString(Path.of("target/push-test.log"), StandardCharsets.UTF_8);
        StringBuilder topic = new StringBuilder();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrap, prefix + Topics.PUSH, r -> true)) {
            topic.append(new String(record.value(), StandardCharsets.UTF_8)).append('\n');
            record.headers().forEach(h -> topic.append(new String(h.value(), StandardCharsets.UTF_8)).append('\n'));
        }
        StringBuilder stored = new StringBuilder();
        for (String key : redis.key().keys("*")) {
            stored.append(key).append('=');
            if ("string".equals(redis.key().type(key).name().toLowerCase(java.util.Locale.ROOT))) {
                stored.append(redis.value(String.class).get(key));
            }
            stored.append('\n');
        }
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            assertFalse(log.contains(secret), "the log carries secret #" + i);
            assertFalse(topic.toString().contains(secret), "the push topic carries secret #" + i);
            assertFalse(stored.toString().contains(secret), "Redis holds secret #" + i);
        }
    }
}
