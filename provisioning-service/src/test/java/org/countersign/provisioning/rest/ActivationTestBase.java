package org.countersign.provisioning.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.countersign.events.Topics;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.protocol.DeviceToken;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.OnlineConfirmation;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.P256;
import org.countersign.protocol.SealedInstanceSecret;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.testing.CountersignStackResource;
import org.countersign.testing.TestEvents;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TestTokens;
import org.countersign.testing.TopicReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What every activation test does on the real stack: registrations arrive as registration-service
 * publishes them (a sealed RegistrationPending on the internal topic), events are read back from
 * Kafka, and the tables are read over JDBC.
 */
abstract class ActivationTestBase {

    static final String DOMAIN = TestTokens.DOMAIN;
    static final String PROBLEMS = "https://countersign.org/problems/";
    static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = CountersignStackResource.TOPIC_PREFIX_KEY, defaultValue = "")
    String prefix;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    /** What the user holds after registering: the registration id, serial number and activation password. */
    record Registration(String rid, String sn, String userId, Secret ap) {
    }

    Registration registered(String activationType, Instant expiresAt) throws Exception {
        return registered(activationType, null, null, "user-" + UUID.randomUUID().toString().substring(0, 8), expiresAt);
    }

    /**
     * A registration as registration-service announces it, once this service knows it.
     *
     * @param instanceId the instance to move online (migrate), else null
     * @param otp the app's OTP parameters (otpauth), else null
     */
    Registration registered(String activationType, String instanceId, String otp, String userId, Instant expiresAt)
            throws Exception {
        String rid = UUID.randomUUID().toString();
        Registration registration = publishPending(rid, "SN-" + rid.substring(0, 8), activationType, instanceId, otp, userId,
                expiresAt);
        await(() -> given().header("Authorization", bearer()).when().get("/api/v1/registrations/" + rid + "/activation")
                .then().extract().statusCode() == 200);
        return registration;
    }

    /** The RegistrationPending alone, without waiting for this service to take it. */
    Registration publishPending(String rid, String sn, String activationType, String instanceId, String otp, String userId,
                                Instant expiresAt) throws Exception {
        return publishPending(rid, sn, activationType, instanceId, otp, userId, expiresAt, Secret.random(20));
    }

    Registration publishPending(String rid, String sn, String activationType, String instanceId, String otp, String userId,
                                Instant expiresAt, Secret ap) throws Exception {
        publishPending(rid, sn, activationType, instanceId, otp, userId, expiresAt,
                TestSealing.sealFor("provisioning", ap, RegistrationPending.activationPasswordBinding(DOMAIN, userId, rid)));
        return new Registration(rid, sn, userId, ap);
    }

    /** With the activation password as given, sealed: a sealed value taken from elsewhere. */
    void publishPending(String rid, String sn, String activationType, String instanceId, String otp, String userId,
                        Instant expiresAt, SealedValue sealed) throws Exception {
        TestEvents.publish(bootstrap, prefix + Topics.INTERNAL_REGISTRATIONS, userId + "@" + DOMAIN, RegistrationPending.TYPE.ceType(),
                "/countersign/registration-service", "{\"registrationId\":\"" + rid + "\",\"userId\":\"" + userId
                        + "\",\"domain\":\"" + DOMAIN + "\",\"serialNumber\":\"" + sn + "\",\"activationType\":\"" + activationType
                        + "\"" + (instanceId == null ? "" : ",\"instanceId\":\"" + instanceId + "\"")
                        + (otp == null ? "" : ",\"otp\":\"" + otp + "\"")
                        + ",\"sealedActivationPassword\":\"" + sealed.toText() + "\",\"expiresAt\":\"" + expiresAt + "\"}");
    }

    /** An online device as the app holds it: its key pair, its enrolment request, and what the server answered. */
    record OnlineDevice(Registration registration, KeyPair keys, EnrolmentRequest request, String iid, String otp,
                        Secret instanceSecret) {

        /** The confirmation code and the signature over it (protocol.md, step 4). */
        String code() {
            return OnlineConfirmation.code(InstanceKeys.of(instanceSecret), registration.rid(), iid, request.h());
        }

        String confirmation() {
            String code = code();
            return "{\"instanceId\":\"" + iid + "\",\"code\":\"" + code + "\",\"signature\":\""
                    + OnlineConfirmation.sign(keys.getPrivate(), registration.rid(), iid, code) + "\"}";
        }

        /** A fresh device token, as the app makes one for every call. */
        String token(Instant now) {
            return DeviceToken.sign(keys.getPrivate(), iid, DeviceToken.PUSH_AUDIENCE, now.getEpochSecond(),
                    now.getEpochSecond() + 300, DeviceToken.newJti());
        }
    }

    static String enrolment(Registration registration, EnrolmentRequest request) {
        return "{\"registrationId\":\"" + registration.rid() + "\",\"csr\":\"" + request.csrBase64url() + "\",\"proof\":\""
                + request.proof() + "\",\"platform\":\"android\",\"pushToken\":\"fcm:token-" + registration.rid()
                + "\",\"deviceName\":\"Alice's phone\",\"biometric\":true}";
    }

    static ValidatableResponse enrol(String body) {
        return given().contentType("application/json").body(body).when().post("/api/v1/online-activations").then();
    }

    static ValidatableResponse confirm(Registration registration, String body) {
        return given().contentType("application/json").body(body)
                .when().post("/api/v1/online-activations/" + registration.rid() + "/confirm").then();
    }

    /**
     * Enrols a new key on the registration as a device does, and opens what the answer sealed to it.
     *
     * @param instanceSecret for a migration, the IS the device already holds (the answer has none)
     */
    OnlineDevice enrolled(Registration registration, Secret instanceSecret) {
        KeyPair keys = P256.generateKeyPair();
        EnrolmentRequest request = EnrolmentRequest.create(registration.ap(), registration.rid(), registration.sn(), keys);
        var answer = enrol(enrolment(registration, request)).statusCode(201).header("Cache-Control", "no-store").extract();
        String iid = answer.path("instanceId");
        String otp = answer.path("otp");
        Secret is = instanceSecret != null ? instanceSecret
                : SealedInstanceSecret.parse(answer.path("epk"), answer.path("n"), answer.path("c"))
                        .open(keys.getPrivate(), request.csr(), registration.rid(), iid, OtpPolicy.parse(otp));
        return new OnlineDevice(registration, keys, request, iid, otp, is);
    }

    /** A new online instance, enrolled and confirmed. */
    OnlineDevice onlineDevice() throws Exception {
        OnlineDevice device = enrolled(registered("online", Instant.now().plusSeconds(600)), null);
        confirm(device.registration(), device.confirmation()).statusCode(200).body("mode", equalTo("online"));
        return device;
    }

    ValidatableResponse state(Registration registration) {
        return given().header("Authorization", bearer()).when().get("/api/v1/registrations/" + registration.rid() + "/activation")
                .then().statusCode(200);
    }

    ConsumerRecord<String, byte[]> event(String topic, String ceType, String mentions) throws InterruptedException {
        return TopicReader.await(bootstrap, prefix + topic, r -> ceType.equals(TopicReader.header(r, "ce_type"))
                && new String(r.value(), StandardCharsets.UTF_8).contains(mentions), Duration.ofSeconds(30));
    }

    /** Everything this service logged in this test run (the test profile writes it to a file, DEBUG for our code). */
    static String log() throws java.io.IOException {
        return java.nio.file.Files.readString(java.nio.file.Path.of("target/provisioning-test.log"), StandardCharsets.ISO_8859_1);
    }

    static String bearer() {
        return TestTokens.bearer(DOMAIN, "provisioning");
    }

    String sql(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=provisioning",
                "postgres", ""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    void execute(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=provisioning",
                "postgres", ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 30 s");
            }
            Thread.sleep(100);
        }
    }
}
