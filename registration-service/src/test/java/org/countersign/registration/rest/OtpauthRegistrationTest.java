package org.countersign.registration.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.events.Topics;
import org.countersign.events.TransportSealer;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.protocol.Base32;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Registering a stock authenticator app (otpauth): the answer's otpauth URI is the only place the key
 * appears in clear; the provisioning-service gets it sealed, with the parameters the app was given.
 */
@QuarkusTest
class OtpauthRegistrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TransportSealer transport;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "countersign.events.topic-prefix")
    String prefix;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void register_otpauthUriHoldsAFreshKey_shownOnce_sealedEverywhereElse() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        String user = "ada-" + UUID.randomUUID().toString().substring(0, 8);
        licence(serial);
        var created = given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration"))
                .contentType("application/json")
                .body("{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"otpauth\"}")
                .when().post("/api/v1/users/register").then().statusCode(201).header("Cache-Control", "no-store")
                .body("activationPassword", nullValue())
                .body("activationMessage", startsWith("otpauth://totp/Countersign:" + user + "?secret=")).extract();
        String rid = created.path("registrationId");
        String uri = created.path("activationMessage");
        OtpAuthUri parsed = OtpAuthUri.parse(uri);
        assertEquals("Countersign", parsed.issuer());
        assertEquals(user, parsed.account());
        assertEquals("totp:sha1:6:30", parsed.policy().format());
        byte[] key = parsed.secret().reveal();
        assertEquals(20, key.length, "a 160-bit key");
        assertEquals(uri, "otpauth://totp/Countersign:" + user + "?secret=" + Base32.encode(key)
                + "&issuer=Countersign&algorithm=SHA1&digits=6&period=30", "every parameter, for apps that need them");

        given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration")).when()
                .get("/api/v1/registrations/" + rid).then().statusCode(200).body("activationType", equalTo("otpauth"))
                .body("status", equalTo("pending"));

        ConsumerRecord<String, byte[]> pending = TopicReader.await(bootstrap, prefix + Topics.INTERNAL_REGISTRATIONS,
                r -> ("registration/" + rid).equals(TopicReader.header(r, "ce_subject")), Duration.ofSeconds(60));
        assertEquals(RegistrationPending.TYPE.ceType(), TopicReader.header(pending, "ce_type"));
        JsonNode data = JSON.readTree(pending.value());
        assertEquals("otpauth", data.get("activationType").asText());
        assertEquals("totp:sha1:6:30", data.get("otp").asText());
        SealedValue sealed = SealedValue.parse(data.get("sealedActivationPassword").asText());
        Binding binding = RegistrationPending.activationPasswordBinding(TestTokens.DOMAIN, data.get("userId").asText(), rid);
        assertArrayEquals(key, TestSealing.openAs("provisioning", sealed, binding).reveal(),
                "the provisioning-service gets the app's key, sealed to its public key");
        assertThrows(Aead.AeadException.class, () -> transport.open(sealed, binding), "and this service cannot open it again");
        given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "provisioning")).when()
                .get("/api/v1/registrations/" + rid + "/pending-activation").then().statusCode(200).body("otp", equalTo("totp:sha1:6:30"));

        ConsumerRecord<String, byte[]> initiated = TopicReader.await(bootstrap, prefix + Topics.REGISTRATIONS,
                r -> ("registration/" + rid).equals(TopicReader.header(r, "ce_subject")), Duration.ofSeconds(60));
        for (String text : List.of(new String(pending.value(), StandardCharsets.UTF_8), new String(initiated.value(), StandardCharsets.UTF_8),
                sql("SELECT string_agg(payload, '') FROM outbox_events"),
                sql("SELECT sealed_activation_password FROM registrations WHERE id = '" + rid + "'"))) {
            for (String secret : List.of(Base32.encode(key), Base64.getEncoder().encodeToString(key),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(key))) {
                assertFalse(text.contains(secret), "the key appears nowhere but in the answer: " + text);
            }
        }
    }

    @Test
    void policyWithoutOtpauth_refusesIt() {
        String type = "app-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration")).contentType("application/json")
                .body("{\"maxAuthenticatorsPerUser\":3,\"registrationLifetime\":\"PT15M\",\"activationTypes\":[\"online\"]}")
                .when().put("/api/v1/policies/" + type).then().statusCode(200);
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration")).contentType("application/json")
                .body("{\"licences\":[{\"serialNumber\":\"" + serial + "\",\"authenticatorType\":\"" + type
                        + "\",\"licenceModel\":\"SDL\"}]}").when().post("/api/v1/licences").then().statusCode(201);
        given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration")).contentType("application/json")
                .body("{\"userId\":\"bea\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"otpauth\"}")
                .when().post("/api/v1/users/register").then().statusCode(409)
                .body("type", equalTo("https://countersign.org/problems/activation-type-not-allowed"));
    }

    private static void licence(String serial) {
        given().header("Authorization", TestTokens.bearer(TestTokens.DOMAIN, "registration")).contentType("application/json")
                .body("{\"licences\":[{\"serialNumber\":\"" + serial + "\",\"authenticatorType\":\"mobile-app\","
                        + "\"licenceModel\":\"SDL\"}]}").when().post("/api/v1/licences").then().statusCode(201);
    }

    private String sql(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=registration",
                "postgres", ""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }
}
