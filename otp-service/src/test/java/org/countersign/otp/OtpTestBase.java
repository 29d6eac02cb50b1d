package org.countersign.otp;

import static io.restassured.RestAssured.given;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.countersign.events.Topics;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.LicenceAssigned;
import org.countersign.events.payload.TokenImported;
import org.countersign.secrets.Secret;
import org.countersign.testing.Await;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TestTokens;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared fixtures of the module's HTTP tests: credentials arrive as the other services send them
 * (sealed events on the real topics), and every check goes through the API.
 */
public abstract class OtpTestBase {

    protected static final String DOMAIN = TestTokens.DOMAIN;
    /** The seed of RFC 4226 Appendix D and of RFC 6238's SHA-1 vectors. */
    protected static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    /** RFC 4226 Appendix D, HOTP values for counters 0 to 9. */
    protected static final String[] RFC4226 = {"755224", "287082", "359152", "969429", "338314", "254676", "287922",
            "162583", "399871", "520489"};

    @Inject
    protected SettableClock clock;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    protected String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    protected String prefix;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    protected String jdbcUrl;

    @AfterEach
    void realTime() {
        clock.release();
    }

    /** A user name no other test (nor an earlier Quarkus start on the same Redis) has used. */
    protected static String freshUser(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected ValidatableResponse verify(String user, String code, String serial) {
        return verifyIn(DOMAIN, user, code, serial).statusCode(200);
    }

    /** A check with an otp-scoped token of the given domain; the status is the caller's to assert. */
    protected ValidatableResponse verifyIn(String tokenDomain, String user, String code, String serial) {
        String body = "{\"userId\":\"" + user + "\",\"credential\":\"" + code + "\""
                + (serial == null ? "" : ",\"serialNumber\":\"" + serial + "\"") + "}";
        return given().header("Authorization", TestTokens.bearer(tokenDomain, "otp")).contentType("application/json").body(body)
                .when().post("/api/v1/otp/verify").then();
    }

    /** Imports the RFC seed as a token of a fresh serial and assigns it to the user, as registration would. */
    protected String token(String otp, String user) throws Exception {
        return token(otp, user, SEED);
    }

    protected String token(String otp, String user, byte[] seed) throws Exception {
        return tokenIn(DOMAIN, otp, user, seed);
    }

    /** A token of another domain: tests that change a domain's settings use a domain of their own. */
    protected String tokenIn(String domain, String otp, String user, byte[] seed) throws Exception {
        String serial = "SN" + UUID.randomUUID().toString().substring(0, 8);
        Long counter = otp.startsWith("hotp") ? 0L : null;
        TokenImported imported = new TokenImported(serial, domain, otp, null, counter,
                TestSealing.sealFor("otp", Secret.copyOf(seed), TokenImported.seedBinding(domain, serial)), Instant.now());
        String importedJson = "{\"serialNumber\":\"" + serial + "\",\"domain\":\"" + domain + "\",\"otp\":\"" + otp + "\","
                + (counter == null ? "" : "\"counter\":0,") + "\"sealedSeed\":\"" + imported.sealedSeed().toText()
                + "\",\"importedAt\":\"2026-11-23T10:00:00Z\"}";
        String assigned = "{\"domain\":\"" + domain + "\",\"serialNumber\":\"" + serial + "\",\"userId\":\"" + user
                + "\",\"authenticatorType\":\"hardware-token\",\"assignedAt\":\"2026-11-23T10:00:00Z\"}";
        publish(Topics.INTERNAL_CREDENTIALS, "licences@" + domain, TokenImported.TYPE.ceType(), importedJson);
        publish(Topics.REGISTRATIONS, user + "@" + domain, LicenceAssigned.TYPE.ceType(), assigned);
        awaitTrue(() -> count("SELECT count(*) FROM credentials c JOIN licence_owners o ON o.domain = c.domain"
                + " AND o.serial_number = c.serial_number WHERE c.serial_number = '" + serial + "'") == 1, "the token arrives");
        return serial;
    }

    /** An activated instance, as the provisioning-service sends it: the instance secret, sealed. */
    protected void provision(String user, String instanceId, String serial, String otp, Secret instanceSecret,
                             Instant provisionedAt) throws Exception {
        publishProvisioned(user, instanceId, serial, otp, instanceSecret, provisionedAt);
        awaitTrue(() -> count("SELECT count(*) FROM credentials WHERE instance_id = '" + instanceId + "'") == 1,
                "the instance arrives");
    }

    /** The provisioning-service's CredentialProvisioned for an instance, sent without waiting for its effect. */
    protected void publishProvisioned(String user, String instanceId, String serial, String otp, Secret instanceSecret,
                                      Instant provisionedAt) throws Exception {
        String provisioned = "{\"instanceId\":\"" + instanceId + "\",\"userId\":\"" + user + "\",\"domain\":\"" + DOMAIN
                + "\",\"serialNumber\":\"" + serial + "\",\"otp\":\"" + otp + "\",\"sealedInstanceSecret\":\""
                + TestSealing.sealFor("otp", instanceSecret, CredentialProvisioned.instanceSecretBinding(DOMAIN, user, instanceId)).toText()
                + "\",\"provisionedAt\":\"" + provisionedAt + "\"}";
        publish(Topics.INTERNAL_CREDENTIALS, user + "@" + DOMAIN, CredentialProvisioned.TYPE.ceType(), provisioned);
    }

    protected void publish(String topic, String key, String type, String json) throws Exception {
        publish(topic, key, type, json, UUID.randomUUID().toString());
    }

    /** With a given ce_id: the same event delivered twice. */
    protected void publish(String topic, String key, String type, String json, String id) throws Exception {
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new CloudEventSerializer())) {
            producer.send(new ProducerRecord<>(prefix + topic, key, event(type, json, id))).get();
        }
    }

    /**
     * Sends every body at once to the path (POST, JSON, with a token of the given domain and scopes)
     * and returns the answers in order: the server sees them in parallel.
     */
    protected static List<HttpResponse<String>> postAll(String path, String tokenDomain, List<String> bodies, String... scopes)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://localhost:" + io.restassured.RestAssured.port + path);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (String body : bodies) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", TestTokens.bearer(tokenDomain, scopes))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            responses.add(call.get());
        }
        return responses;
    }

    protected int count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?currentSchema=otp", "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    protected static void awaitTrue(Await.Check check, String what) throws Exception {
        Await.until(check, what);
    }

    private static CloudEvent event(String type, String json, String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/countersign/registration-service"))
                .withType(type).withTime(OffsetDateTime.now()).withDataContentType("application/json")
                .withData(json.getBytes(StandardCharsets.UTF_8)).build();
    }
}
