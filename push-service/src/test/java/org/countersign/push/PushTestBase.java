package org.countersign.push;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.countersign.events.Topics;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.testing.Await;
import org.countersign.testing.TestEvents;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared fixtures of the module's tests: devices arrive as the provisioning-service announces them
 * (events on the real topics), apps and admins call with tokens of their scopes, and every check
 * goes through the API or the topics.
 */
public abstract class PushTestBase {

    protected static final String DOMAIN = TestTokens.DOMAIN;
    protected static final String OTHER_DOMAIN = TestTokens.OTHER_DOMAIN;
    protected static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected TestClock clock;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    protected String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    protected String prefix;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    protected String jdbcUrl;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    protected static String freshUser(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static RequestSpecification app(String domain) {
        return given().header("Authorization", TestTokens.bearer(domain, "push")).contentType("application/json");
    }

    protected static RequestSpecification app() {
        return app(DOMAIN);
    }

    protected static RequestSpecification admin(String domain) {
        return given().header("Authorization", TestTokens.bearer(domain, "push-admin")).contentType("application/json");
    }

    protected static RequestSpecification admin() {
        return admin(DOMAIN);
    }

    /** Enables push for the user, as an admin does. */
    protected static void enable(String userId) {
        enable(userId, null);
    }

    protected static void enable(String userId, Boolean requireBiometric) {
        admin().body("{\"enabled\":true" + (requireBiometric == null ? "" : ",\"requireBiometric\":" + requireBiometric) + "}")
                .when().put("/api/v1/push/users/" + userId).then().statusCode(200);
    }

    /** An online device of the user, activated through the activations topic, known here once this returns. */
    protected TestDevice onlineDevice(String userId, String platform, boolean biometric, String pushToken) throws Exception {
        return onlineDevice(new TestDevice(userId, DOMAIN, platform, biometric, pushToken));
    }

    protected TestDevice onlineDevice(String userId) throws Exception {
        return onlineDevice(userId, "web", true, null);
    }

    protected TestDevice onlineDevice(TestDevice device) throws Exception {
        publish(Topics.ACTIVATIONS, device.userId() + "@" + device.domain(), AuthenticatorActivated.TYPE.ceType(),
                device.activatedJson(Instant.now()));
        awaitTrue(() -> count("SELECT count(*) FROM devices WHERE instance_id = '" + device.iid() + "'") == 1, "the device arrives");
        return device;
    }

    /** Creates a request for the user and answers its JSON. */
    protected JsonNode createRequest(String userId, String message, String fieldsJson) throws Exception {
        String body = "{\"userId\":\"" + userId + "\",\"message\":\"" + message + "\""
                + (fieldsJson == null ? "" : ",\"fields\":" + fieldsJson) + "}";
        return JSON.readTree(app().body(body).when().post("/api/v1/push/requests").then().statusCode(201).extract().asString());
    }

    /** The push request as the device sees it (by polling). */
    protected JsonNode polled(TestDevice device, String requestId) throws Exception {
        JsonNode pending = JSON.readTree(given().header("Authorization", device.bearer(clock.instant())).when()
                .get("/api/v1/devices/me/pending").then().statusCode(200).extract().asString());
        for (JsonNode request : pending.path("requests")) {
            if (request.path("requestId").asText().equals(requestId)) {
                return request;
            }
        }
        throw new AssertionError("The device was not sent " + requestId + ": " + pending);
    }

    /** The device's answer, signed over the request as it received it; the status is the caller's to assert. */
    protected ValidatableResponse answer(TestDevice device, JsonNode request, String decision, Integer selected) {
        String requestId = request.path("requestId").asText();
        String signature = device.sign(requestId, request.path("challenge").asText(), dataHash(request), decision, selected);
        return answerRaw(device, requestId, decision, selected, signature);
    }

    protected ValidatableResponse answerRaw(TestDevice device, String requestId, String decision, Integer selected, String signature) {
        String body = "{\"decision\":\"" + decision + "\"" + (selected == null ? "" : ",\"selectedNumber\":" + selected)
                + ",\"signature\":\"" + signature + "\"}";
        return given().header("Authorization", device.bearer(clock.instant())).contentType("application/json").body(body)
                .when().post("/api/v1/push/requests/" + requestId + "/response").then();
    }

    /** protocol.md's dataHash, computed here from the request as the device received it (independently of libs/protocol). */
    protected static String dataHash(JsonNode request) {
        StringBuilder text = new StringBuilder(request.path("message").asText());
        for (JsonNode field : request.path("fields")) {
            text.append('\n').append(field.path("name").asText()).append('=').append(field.path("value").asText());
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected void publish(String topic, String key, String type, String json) throws Exception {
        publish(topic, key, type, json, UUID.randomUUID().toString());
    }

    /** With a given ce_id: the same event delivered twice. */
    protected void publish(String topic, String key, String type, String json, String id) throws Exception {
        CloudEvent event = io.cloudevents.core.builder.CloudEventBuilder.v1(TestEvents.event(type, "/countersign/provisioning-service",
                json)).withId(id).build();
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new CloudEventSerializer())) {
            producer.send(new ProducerRecord<>(prefix + topic, key, event)).get();
        }
    }

    /** The push events about a user, in the order of the topic, as (ce_type, data). */
    protected List<JsonNode> pushEvents(String userId) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrap, prefix + Topics.PUSH,
                r -> (userId + "@" + DOMAIN).equals(r.key()))) {
            JsonNode data = JSON.readTree(record.value());
            ((com.fasterxml.jackson.databind.node.ObjectNode) data).put("_type", TopicReader.header(record, "ce_type"));
            events.add(data);
        }
        return events;
    }

    protected List<String> pushEventTypes(String userId) throws Exception {
        return pushEvents(userId).stream().map(e -> e.path("_type").asText().replace("org.countersign.", "").replace(".v1", ""))
                .toList();
    }

    protected int count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?currentSchema=push", "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Changes rows behind the service's back: only to set up what the API cannot (e.g. a vector's fixed ids). */
    protected int update(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?currentSchema=push", "postgres", "");
             Statement s = c.createStatement()) {
            return s.executeUpdate(statement);
        }
    }

    protected String sql(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?currentSchema=push", "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    protected static void awaitTrue(Await.Check check, String what) throws Exception {
        Await.until(check, what);
    }
}
