package org.countersign.launcher;

import static org.countersign.launcher.Suite.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.countersign.agent.AgentException;
import org.countersign.agent.AgentStore;
import org.countersign.agent.LogonAgent;
import org.countersign.agent.OtpServiceClient;
import org.countersign.device.DeviceInput;
import org.countersign.device.DeviceSimulator;
import org.countersign.device.EnrolmentOptions;
import org.countersign.device.ProfileStore;
import org.countersign.events.Topics;
import org.countersign.protocol.Base32;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.OfflineBundle;
import org.countersign.secrets.Secret;
import org.countersign.protocol.ProtocolUris;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;
import org.countersign.stack.Ports;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flows across services, as separate processes on the embedded stack, through the public REST APIs
 * only: what a bank's systems would do.
 */
@ExtendWith(Suite.class)
@Order(2)
class SuiteIT {

    @Test
    void pskcTokenImportedThroughRegistration_verifiesOnceThroughOtp() throws Exception {
        Path figure3 = home().resolve("registration-service/src/test/resources/pskc/rfc6030/figure3.xml");
        HttpResponse<String> imported = send("REGISTRATION", "POST", "/api/v1/licences/pskc", "application/pskc+xml",
                Files.readString(figure3));
        assertEquals(201, imported.statusCode(), imported.body());
        assertEquals(200, send("REGISTRATION", "PUT", "/api/v1/users/alice", null, null).statusCode());
        HttpResponse<String> assigned = send("REGISTRATION", "PUT", "/api/v1/licences/987654321/assignment",
                "application/json", "{\"userId\":\"alice\"}");
        assertEquals(200, assigned.statusCode(), assigned.body());

        // The seed and the assignment reach the otp-service through Kafka; until then the answer is rejected.
        // The token of Figure 3 answers with 8 digits: RFC 4226 Appendix D's truncated values 1284755224
        // (counter 0) and 1094287082 (counter 1) taken mod 10^8.
        String first = "{\"userId\":\"alice\",\"credential\":\"84755224\"}";
        Instant deadline = Instant.now().plusSeconds(90);
        String result = "";
        while (Instant.now().isBefore(deadline) && !result.contains("\"accepted\"")) {
            HttpResponse<String> verified = send("OTP", "POST", "/api/v1/otp/verify", "application/json", first);
            assertEquals(200, verified.statusCode(), verified.body());
            result = verified.body();
            if (!result.contains("\"accepted\"")) {
                Thread.sleep(300);
            }
        }
        assertTrue(result.contains("\"serialNumber\":\"987654321\""), result);
        assertTrue(send("OTP", "POST", "/api/v1/otp/verify", "application/json", first).body().contains("\"rejected\""),
                "the same code is never accepted twice");
        assertTrue(send("OTP", "POST", "/api/v1/otp/verify", "application/json",
                "{\"userId\":\"bob\",\"credential\":\"94287082\"}").body().contains("\"rejected\""), "only alice holds the token");
        assertTrue(send("OTP", "POST", "/api/v1/otp/verify", "application/json",
                "{\"userId\":\"alice\",\"credential\":\"94287082\"}").body().contains("\"accepted\""));
    }

    /**
     * Issue 7's system test: offline activation through the public APIs only, the images rendered by
     * visual-codes and read by the device simulator, with Redis flushed and the provisioning-service
     * killed (and restarted by the launcher) between add-device and activate.
     */
    @Test
    void offlineActivation_throughImages_survivesRestartAndFlush_eventsInOrder_noSecretLeaks() throws Exception {
        String serial = "OFF-" + Long.toHexString(System.nanoTime());
        assertEquals(201, send("REGISTRATION", "POST", "/api/v1/licences", "application/json", "{\"licences\":[{\"serialNumber\":\""
                + serial + "\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"MDL\",\"maxActivations\":1}]}")
                .statusCode());
        HttpResponse<String> registered = send("REGISTRATION", "POST", "/api/v1/users/register", "application/json",
                "{\"userId\":\"carol\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}");
        assertEquals(201, registered.statusCode(), registered.body());
        JsonNode registration = JSON.readTree(registered.body());
        String rid = registration.get("registrationId").asText();
        String activationPassword = registration.get("activationPassword").asText();

        DeviceSimulator device = new DeviceSimulator(new ProfileStore(dataDir.resolve("device-it/profiles.json")));
        String message1 = DeviceInput.read(image(registration.get("activationMessage").asText(), "qr").toString());
        String deviceCode = device.scanActivation(message1, "carol");

        HttpResponse<String> added = send("PROVISIONING", "POST", "/api/v1/registrations/" + rid + "/device", "application/json",
                "{\"deviceCode\":\"" + deviceCode + "\"}");
        assertEquals(200, added.statusCode(), added.body());
        String message2Uri = JSON.readTree(added.body()).get("activationMessage2").asText();
        String message2 = DeviceInput.read(image(message2Uri, "colour").toString());
        assertEquals(message2Uri, message2, "the colour code carries activation message 2 exactly");
        String signature = device.completeActivation(message2, "carol");

        redis("FLUSHALL");
        restartProvisioning();

        HttpResponse<String> activated = send("PROVISIONING", "POST", "/api/v1/registrations/" + rid + "/activate",
                "application/json", "{\"deviceCode\":\"" + deviceCode + "\",\"signature\":\"" + signature + "\"}");
        assertEquals(200, activated.statusCode(), activated.body());
        String instanceId = JSON.readTree(activated.body()).get("instanceId").asText();

        // The licence's activation is used once registration-service has heard of it.
        awaitTrue(() -> JSON.readTree(send("REGISTRATION", "GET", "/api/v1/licences/" + serial, null, null).body())
                .path("activationsUsed").asInt() == 1, "registration-service counts the activation");

        // The device's TOTP verifies once through the otp-service (issue 8), once the credential has arrived.
        String otp = device.otp("carol", Instant.now());
        String verify = "{\"userId\":\"carol\",\"credential\":\"" + otp + "\"}";
        awaitTrue(() -> send("OTP", "POST", "/api/v1/otp/verify", "application/json", verify).body().contains("\"accepted\""),
                "the simulated device's OTP is accepted");
        assertTrue(send("OTP", "POST", "/api/v1/otp/verify", "application/json", verify).body().contains("\"rejected\""),
                "and never twice");

        // Issue 9's system test: the bank asks the device to sign a payment shown as a colour code; the
        // device shows what it decrypted and its response, which the bank's verify approves once.
        HttpResponse<String> challenge = send("OTP", "POST", "/api/v1/signatures/challenges", "application/json",
                "{\"userId\":\"carol\",\"message\":\"Pay Jürgen\",\"fields\":[{\"name\":\"IBAN\",\"value\":"
                        + "\"DE89 3704 0044 0532 0130 00\"},{\"name\":\"Amount\",\"value\":\"EUR 1,250.00\"}]}");
        assertEquals(201, challenge.statusCode(), challenge.body());
        JsonNode issued = JSON.readTree(challenge.body());
        var signed = device.sign(DeviceInput.read(image(issued.get("signingMessage").asText(), "colour").toString()), "carol");
        assertEquals("Pay Jürgen", signed.message());
        assertEquals("EUR 1,250.00", signed.fields().get(1).value());
        String approve = "{\"challengeId\":\"" + issued.get("challengeId").asText() + "\",\"response\":\"" + signed.response()
                + "\"}";
        JsonNode approved = JSON.readTree(send("OTP", "POST", "/api/v1/signatures/verify", "application/json", approve).body());
        assertEquals("approved", approved.get("result").asText(), approved.toString());
        assertEquals(signed.dataHash(), approved.get("dataHash").asText());
        assertEquals("rejected", JSON.readTree(send("OTP", "POST", "/api/v1/signatures/verify", "application/json", approve)
                .body()).get("result").asText(), "a response is approved once");

        // A real consumer sees the user's events in order, with their CloudEvents attributes.
        String key = "carol@" + DOMAIN;
        ConsumerRecord<String, byte[]> initiated = only(Topics.REGISTRATIONS, key, "registration-initiated", rid);
        ConsumerRecord<String, byte[]> deviceAdded = only(Topics.ACTIVATIONS, key, "device-added", rid);
        ConsumerRecord<String, byte[]> authenticatorActivated = only(Topics.ACTIVATIONS, key, "authenticator-activated", rid);
        assertTrue(deviceAdded.partition() == authenticatorActivated.partition()
                && deviceAdded.offset() < authenticatorActivated.offset(), "DeviceAdded before AuthenticatorActivated");
        assertTrue(Instant.parse(header(initiated, "ce_time")).isBefore(Instant.parse(header(deviceAdded, "ce_time"))),
                "RegistrationInitiated before DeviceAdded");
        for (ConsumerRecord<String, byte[]> event : List.of(initiated, deviceAdded, authenticatorActivated)) {
            assertEquals("1.0", header(event, "ce_specversion"));
            assertTrue(header(event, "ce_id") != null && header(event, "ce_source").startsWith("/countersign/"), event.toString());
            assertEquals("application/json", header(event, "content-type"));
        }
        JsonNode activatedData = JSON.readTree(authenticatorActivated.value());
        assertEquals(instanceId, activatedData.get("instanceId").asText());
        assertEquals(serial, activatedData.get("serialNumber").asText());
        assertEquals("/countersign/provisioning-service", header(authenticatorActivated, "ce_source"));

        // No activation password, instance secret, device code or signature in any event, log line or Redis value.
        byte[] instanceSecret = ProtocolUris.parseActivationMessage2(message2).open(
                ProtocolUris.parseActivationMessage1(message1), DeviceCode.parse(deviceCode)).reveal();
        List<String> secrets = List.of(activationPassword, deviceCode.replace(" ", ""), signature, signed.response(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(instanceSecret),
                Base64.getEncoder().encodeToString(instanceSecret), HexFormat.of().formatHex(instanceSecret),
                Base32.encode(instanceSecret));
        StringBuilder everything = new StringBuilder();
        for (String topic : List.of(Topics.REGISTRATIONS, Topics.ACTIVATIONS, Topics.AUTHENTICATIONS, Topics.INTERNAL_REGISTRATIONS,
                Topics.INTERNAL_CREDENTIALS, Topics.DEAD_LETTERS)) {
            records(topic).forEach(r -> everything.append(new String(r.value(), StandardCharsets.UTF_8)).append('\n'));
        }
        try (var logs = Files.list(dataDir.resolve("logs"))) {
            for (Path log : logs.toList()) {
                everything.append(Files.readString(log, StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        for (String redisKey : redis("KEYS", "*").split("\n")) {
            if (!redisKey.isBlank()) {
                everything.append(redis("GET", redisKey)).append('\n');
            }
        }
        for (String secret : secrets) {
            assertTrue(!everything.toString().contains(secret), "a secret leaked into an event, a log or Redis");
        }
        assertTrue(everything.toString().contains(rid), "the search covered this run's events and logs");
    }

    /**
     * A device call that reaches the provisioning-service before the RegistrationPending event: a second
     * provisioning-service that never sees the suite's events (its own topic prefix, database and Redis
     * database) serves the whole activation by asking registration-service directly.
     */
    @Test
    void deviceCallBeforeTheEvent_provisioningAsksRegistration_activationCompletes() throws Exception {
        String postgres = "127.0.0.1:" + ENV.get("COUNTERSIGN_POSTGRES_PORT");
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection("jdbc:postgresql://" + postgres + "/countersign",
                "postgres", ""); java.sql.Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE fallback");
        }
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(UpCommand.javaBinary(), "-Xmx256m", "-jar",
                home().resolve("provisioning-service/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("logs/provisioning-fallback.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("COUNTERSIGN_DATA_DIR", dataDir.toString());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", dataDir.resolve("keys/jwt-public.pem").toUri().toString());
        env.putAll(UpCommand.sealingEnvironment(DevKeys.in(dataDir.resolve("keys")), "provisioning"));
        env.put("COUNTERSIGN_EVENTS_TOPIC_PREFIX", "fallback.");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + ENV.get("COUNTERSIGN_KAFKA_PORT"));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + postgres + "/fallback");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + postgres + "/fallback");
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + ENV.get("COUNTERSIGN_REDIS_PORT") + "/1");
        env.put("COUNTERSIGN_PROVISIONING_REGISTRATION_URL", "http://127.0.0.1:" + ENV.get("COUNTERSIGN_REGISTRATION_PORT"));
        Process fallback = builder.start();
        try {
            awaitTrue(() -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            }, "the second provisioning-service is ready");
            String serial = "FBK-" + Long.toHexString(System.nanoTime());
            String racedSerial = serial + "-R";
            assertEquals(201, send("REGISTRATION", "POST", "/api/v1/licences", "application/json", "{\"licences\":[{\"serialNumber\":\""
                    + serial + "\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"MDL\",\"maxActivations\":1},"
                    + "{\"serialNumber\":\"" + racedSerial + "\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"MDL\","
                    + "\"maxActivations\":1}]}").statusCode());
            JsonNode registration = JSON.readTree(send("REGISTRATION", "POST", "/api/v1/users/register", "application/json",
                    "{\"userId\":\"dave\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}").body());
            String rid = registration.get("registrationId").asText();
            DeviceSimulator device = new DeviceSimulator(new ProfileStore(dataDir.resolve("device-fallback/profiles.json")));
            String deviceCode = device.scanActivation(registration.get("activationMessage").asText(), "dave");
            HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/v1/registrations/" + rid + "/device")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"deviceCode\":\"" + deviceCode + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, added.statusCode(), added.body());
            String signature = device.completeActivation(JSON.readTree(added.body()).get("activationMessage2").asText(), "dave");
            HttpResponse<String> activated = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/v1/registrations/" + rid + "/activate")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"deviceCode\":\"" + deviceCode + "\",\"signature\":\"" + signature + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, activated.statusCode(), activated.body());
            assertTrue(records("fallback." + Topics.INTERNAL_REGISTRATIONS).isEmpty(),
                    "the second service had no RegistrationPending to learn from");
            addDevicesAtOnce_oneIsAdded(port, racedSerial, device);
        } finally {
            fallback.destroy();
            fallback.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /**
     * Four add-devices at once on a registration that only registration-service knows (the second
     * provisioning-service's own way of recording it with its device, in one statement): one device is
     * added, with one DeviceAdded; the others are refused as a repeated add-device, and nothing else is written.
     */
    private void addDevicesAtOnce_oneIsAdded(int port, String serial, DeviceSimulator device) throws Exception {
        JsonNode registration = JSON.readTree(send("REGISTRATION", "POST", "/api/v1/users/register", "application/json",
                "{\"userId\":\"dave-raced\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}").body());
        String rid = registration.get("registrationId").asText();
        String deviceCode = device.scanActivation(registration.get("activationMessage").asText(), "dave-raced");
        HttpRequest addDevice = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/registrations/" + rid
                        + "/device")).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceCode\":\"" + deviceCode + "\"}")).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(HTTP.sendAsync(addDevice, HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var call : calls) {
            HttpResponse<String> answer = call.get(30, TimeUnit.SECONDS);
            statuses.add(answer.statusCode());
            if (answer.statusCode() != 200) {
                assertTrue(answer.body().contains("activation-state-conflict"), answer.body());
            }
        }
        Collections.sort(statuses);
        assertEquals(List.of(200, 409, 409, 409), statuses);
        String postgres = "127.0.0.1:" + ENV.get("COUNTERSIGN_POSTGRES_PORT");
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:postgresql://" + postgres + "/fallback",
                "postgres", ""); java.sql.Statement statement = db.createStatement()) {
            java.sql.ResultSet row = statement.executeQuery("SELECT status, failed_attempts FROM provisioning.activations"
                    + " WHERE registration_id = '" + rid + "'");
            assertTrue(row.next());
            assertEquals("DEVICE_ADDED", row.getString(1));
            assertEquals(3, row.getInt(2), "each repeated add-device counted");
            java.sql.ResultSet events = statement.executeQuery("SELECT count(*) FROM provisioning.outbox_events"
                    + " WHERE event_type = 'org.countersign.activation.device-added.v1' AND payload LIKE '%" + rid + "%'");
            events.next();
            assertEquals(1, events.getInt(1), "one DeviceAdded");
        }
    }

    /**
     * Issue 14, item 1, tried from outside: a user is deactivated while one authenticator is active and
     * another registration is half way (its device code shown). The half-way one can no longer be
     * activated, the active one stops verifying, and the licence's books come back to zero.
     */
    @Test
    void deactivatedUser_cannotFinishAnActivation_andKeepsNoUsableCredential() throws Exception {
        String serial = "DEA-" + Long.toHexString(System.nanoTime());
        assertEquals(201, send("REGISTRATION", "POST", "/api/v1/licences", "application/json", "{\"licences\":[{\"serialNumber\":\""
                + serial + "\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"MDL\",\"maxActivations\":2}]}")
                .statusCode());
        DeviceSimulator device = new DeviceSimulator(new ProfileStore(dataDir.resolve("device-deactivated/profiles.json")));
        JsonNode first = JSON.readTree(send("REGISTRATION", "POST", "/api/v1/users/register", "application/json",
                "{\"userId\":\"erin\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}").body());
        String firstRid = first.get("registrationId").asText();
        String firstCode = device.scanActivation(first.get("activationMessage").asText(), "erin-1");
        HttpResponse<String> added = send("PROVISIONING", "POST", "/api/v1/registrations/" + firstRid + "/device",
                "application/json", "{\"deviceCode\":\"" + firstCode + "\"}");
        assertEquals(200, added.statusCode(), added.body());
        String signature = device.completeActivation(JSON.readTree(added.body()).get("activationMessage2").asText(), "erin-1");
        HttpResponse<String> activated = send("PROVISIONING", "POST", "/api/v1/registrations/" + firstRid + "/activate",
                "application/json", "{\"deviceCode\":\"" + firstCode + "\",\"signature\":\"" + signature + "\"}");
        assertEquals(200, activated.statusCode(), activated.body());
        String instanceId = JSON.readTree(activated.body()).get("instanceId").asText();
        awaitTrue(() -> send("OTP", "POST", "/api/v1/otp/verify", "application/json", "{\"userId\":\"erin\",\"credential\":\""
                + device.otp("erin-1", Instant.now()) + "\"}").body().contains("\"accepted\""), "erin's device logs in");

        JsonNode second = JSON.readTree(send("REGISTRATION", "POST", "/api/v1/users/register", "application/json",
                "{\"userId\":\"erin\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}").body());
        String secondRid = second.get("registrationId").asText();
        String secondCode = device.scanActivation(second.get("activationMessage").asText(), "erin-2");

        assertEquals(204, send("REGISTRATION", "DELETE", "/api/v1/users/erin", null, null).statusCode());

        awaitTrue(() -> JSON.readTree(send("PROVISIONING", "GET", "/api/v1/registrations/" + secondRid + "/activation", null, null)
                .body()).path("status").asText().equals("cancelled"), "the half-way activation is closed");
        HttpResponse<String> late = send("PROVISIONING", "POST", "/api/v1/registrations/" + secondRid + "/device",
                "application/json", "{\"deviceCode\":\"" + secondCode + "\"}");
        assertEquals(409, late.statusCode(), late.body());
        assertTrue(late.body().contains("registration-closed"), late.body());
        awaitTrue(() -> JSON.readTree(send("PROVISIONING", "GET", "/api/v1/instances/" + instanceId, null, null).body())
                .path("status").asText().equals("revoked"), "the active instance is revoked");
        awaitTrue(() -> {
            JsonNode licence = JSON.readTree(send("REGISTRATION", "GET", "/api/v1/licences/" + serial, null, null).body());
            return licence.path("activationsUsed").asInt() == 0 && licence.path("activationsReserved").asInt() == 0;
        }, "the licence's activations are all given back");
        // The next code of the revoked device is refused (30 s later, so it is not a replay of the last one).
        String next = "{\"userId\":\"erin\",\"credential\":\"" + device.otp("erin-1", Instant.now().plusSeconds(30)) + "\"}";
        awaitTrue(() -> send("OTP", "POST", "/api/v1/otp/verify", "application/json", next).body().contains("\"rejected\""),
                "the otp-service refuses the revoked device");
    }

    /**
     * Issue 13's system test, first part: a simulated phone scans the enrolment QR code rendered by
     * visual-codes, enrols its key online, and then logs in with OTPs and calls with its device token.
     */
    @Test
    void onlinePhone_enrolsFromTheRenderedQrCode_otpVerifies_deviceTokenAccepted() throws Exception {
        String serial = "ONL-" + Long.toHexString(System.nanoTime());
        licence(serial, "mobile-app");
        JsonNode registration = register("{\"userId\":\"frank\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"online\"}");
        String enrolment = DeviceInput.read(image(registration.get("activationMessage").asText(), "qr").toString());
        DeviceSimulator phone = new DeviceSimulator(new ProfileStore(dataDir.resolve("device-online/profiles.json")));
        phone.enroll(enrolment, "frank-phone", new EnrolmentOptions("android", "fcm-token-frank", "Frank's phone", true));

        awaitTrue(() -> send("OTP", "POST", "/api/v1/otp/verify", "application/json", "{\"userId\":\"frank\",\"credential\":\""
                + phone.otp("frank-phone", Instant.now()) + "\"}").body().contains("\"accepted\""), "the phone's OTP is accepted");
        awaitTrue(() -> activations(serial) == 1, "the licence's activation is used");
        HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ENV.get("COUNTERSIGN_PROVISIONING_PORT") + "/api/v1/devices/me"))
                .header("Authorization", "Bearer " + phone.jwt("frank-phone", "countersign-push", 300)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("online", JSON.readTree(me.body()).get("mode").asText());
        JsonNode activated = JSON.readTree(only(Topics.ACTIVATIONS, "frank@" + DOMAIN,
                "authenticator-activated", registration.get("registrationId").asText()).value());
        assertEquals("online", activated.get("mode").asText());
        assertEquals("android", activated.get("platform").asText());
        assertTrue(activated.has("publicKey") && activated.has("certificate"), activated.toString());
    }

    /**
     * Issue 13's system test, second part ("Rescan Device"): a device activated offline is migrated by
     * scanning one code; it keeps its instance id, its next OTP verifies, and no licence activation is used.
     */
    @Test
    void offlineDevice_rescannedOnline_keepsItsInstanceAndOtps_licenceUnchanged() throws Exception {
        String serial = "MIG-" + Long.toHexString(System.nanoTime());
        licence(serial, "hardware-offline");
        DeviceSimulator device = new DeviceSimulator(new ProfileStore(dataDir.resolve("device-migrate/profiles.json")));
        JsonNode offline = register("{\"userId\":\"gina\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}");
        String rid = offline.get("registrationId").asText();
        String code = device.scanActivation(offline.get("activationMessage").asText(), "gina");
        HttpResponse<String> added = send("PROVISIONING", "POST", "/api/v1/registrations/" + rid + "/device", "application/json",
                "{\"deviceCode\":\"" + code + "\"}");
        String signature = device.completeActivation(JSON.readTree(added.body()).get("activationMessage2").asText(), "gina");
        HttpResponse<String> activated = send("PROVISIONING", "POST", "/api/v1/registrations/" + rid + "/activate",
                "application/json", "{\"deviceCode\":\"" + code + "\",\"signature\":\"" + signature + "\"}");
        assertEquals(200, activated.statusCode(), activated.body());
        String instanceId = JSON.readTree(activated.body()).get("instanceId").asText();
        awaitTrue(() -> send("OTP", "POST", "/api/v1/otp/verify", "application/json", "{\"userId\":\"gina\",\"credential\":\""
                + device.otp("gina", Instant.now()) + "\"}").body().contains("\"accepted\""), "the offline device logs in");
        awaitTrue(() -> activations(serial) == 1, "the licence's activation is used");

        JsonNode migration = register("{\"userId\":\"gina\",\"activationType\":\"migrate\",\"instanceId\":\"" + instanceId + "\"}");
        String rescan = DeviceInput.read(image(migration.get("activationMessage").asText(), "qr").toString());
        device.migrate(rescan, "gina", new EnrolmentOptions("ios", "apns-token-gina", "Gina's phone", true));

        JsonNode instance = JSON.readTree(send("PROVISIONING", "GET", "/api/v1/instances/" + instanceId, null, null).body());
        assertEquals("online", instance.get("mode").asText(), instance.toString());
        // The next step's code: within the window, so it would be refused only if the credential had changed.
        String next = "{\"userId\":\"gina\",\"credential\":\"" + device.otp("gina", Instant.now().plusSeconds(30)) + "\"}";
        assertTrue(send("OTP", "POST", "/api/v1/otp/verify", "application/json", next).body().contains("\"accepted\""),
                "the migrated device's OTPs keep verifying");
        awaitTrue(() -> JSON.readTree(send("REGISTRATION", "GET", "/api/v1/registrations/" + migration.get("registrationId")
                .asText(), null, null).body()).path("status").asText().equalsIgnoreCase("activated"), "the migration is settled");
        JsonNode licence = JSON.readTree(send("REGISTRATION", "GET", "/api/v1/licences/" + serial, null, null).body());
        assertEquals(1, licence.path("activationsUsed").asInt(), licence.toString());
        assertEquals(0, licence.path("activationsReserved").asInt(), licence.toString());
    }

    /**
     * Issue 13's system test, third part: a stock authenticator app. The otpauth QR code rendered by
     * visual-codes is read by Debian's zbarimg and its codes computed by Debian's oathtool, which share
     * no code with ours; the first code confirms the app, the next one logs in once.
     */
    @Test
    void stockApp_confirmedWithAnOathtoolCodeFromTheQrCode_thenVerifiesOnce() throws Exception {
        String serial = "APP-" + Long.toHexString(System.nanoTime());
        licence(serial, "soft-token");
        JsonNode registration = register("{\"userId\":\"hana\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"otpauth\"}");
        assertTrue(registration.get("activationMessage").asText().startsWith("otpauth://totp/"), registration.toString());
        assertTrue(!registration.has("activationPassword") || registration.get("activationPassword").isNull(),
                "the secret appears once, in the URI");
        Path qr = image(registration.get("activationMessage").asText(), "qr");
        stockApp(qr, 0); // installs zbarimg and oathtool when missing, which takes longer than a time step
        long now = Instant.now().getEpochSecond();
        HttpResponse<String> confirmed = send("PROVISIONING", "POST", "/api/v1/registrations/"
                + registration.get("registrationId").asText() + "/confirm-otp", "application/json",
                "{\"otp\":\"" + stockApp(qr, now) + "\"}");
        assertEquals(200, confirmed.statusCode(), confirmed.body());

        String next = "{\"userId\":\"hana\",\"credential\":\"" + stockApp(qr, now + 30) + "\"}";
        awaitTrue(() -> send("OTP", "POST", "/api/v1/otp/verify", "application/json", next).body().contains("\"accepted\""),
                "the app's next code is accepted");
        assertTrue(send("OTP", "POST", "/api/v1/otp/verify", "application/json", next).body().contains("\"rejected\""),
                "and never twice");
        awaitTrue(() -> activations(serial) == 1, "the licence's activation is used, as for any other authenticator");
    }

    /**
     * Issue 18's system test: a device is activated, its user gets a server PIN, and the reference logon
     * agent fetches offline data. With every service frozen (SIGSTOP, so that the launcher does not
     * restart them: none can answer), the agent accepts the current PIN+OTP and rejects a wrong PIN, a
     * wrong OTP, a replayed step and a time outside its data; neither its file nor the bundle holds the
     * instance secret, K_otp or the PIN. With the services back, its usage report makes the same OTP
     * fail online.
     */
    @Test
    void offlineLogonAgent_worksWithEveryServiceStopped_andItsReportBurnsTheCodeOnline() throws Exception {
        String user = "ivan";
        String pin = "04711923";
        String serial = "AGT-" + Long.toHexString(System.nanoTime());
        String admin = DevTokens.mint(DevKeys.in(dataDir.resolve("keys")).privateKey(), "helpdesk", DOMAIN, List.of("admin"),
                Duration.ofMinutes(30));
        assertEquals(201, send("REGISTRATION", "POST", "/api/v1/licences", "application/json", "{\"licences\":[{\"serialNumber\":\""
                + serial + "\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"MDL\",\"maxActivations\":1}]}")
                .statusCode());
        JsonNode registration = JSON.readTree(send("REGISTRATION", "POST", "/api/v1/users/register", "application/json",
                "{\"userId\":\"" + user + "\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}").body());
        String rid = registration.get("registrationId").asText();
        ProfileStore profiles = new ProfileStore(dataDir.resolve("device-agent/profiles.json"));
        DeviceSimulator device = new DeviceSimulator(profiles);
        String message1 = registration.get("activationMessage").asText();
        String deviceCode = device.scanActivation(message1, user);
        HttpResponse<String> added = send("PROVISIONING", "POST", "/api/v1/registrations/" + rid + "/device", "application/json",
                "{\"deviceCode\":\"" + deviceCode + "\"}");
        assertEquals(200, added.statusCode(), added.body());
        String message2 = JSON.readTree(added.body()).get("activationMessage2").asText();
        String signature = device.completeActivation(message2, user);
        assertEquals(200, send("PROVISIONING", "POST", "/api/v1/registrations/" + rid + "/activate", "application/json",
                "{\"deviceCode\":\"" + deviceCode + "\",\"signature\":\"" + signature + "\"}").statusCode());

        assertEquals(200, as(admin, "OTP", "PUT", "/api/v1/otp/admin/offline-data/policy", "{\"enabled\":true}").statusCode());
        assertEquals(204, as(admin, "OTP", "PUT", "/api/v1/otp/admin/users/" + user + "/pin", "{\"pin\":\"" + pin + "\"}")
                .statusCode());
        awaitTrue(() -> as(admin, "OTP", "GET", "/api/v1/otp/admin/users/" + user + "/credentials", null).body().contains(serial),
                "the otp-service has the device's credential");

        LogonAgent agent = new LogonAgent(new AgentStore(dataDir.resolve("agent-it/agent.json")), new OtpServiceClient(
                URI.create("http://127.0.0.1:" + ENV.get("COUNTERSIGN_OTP_PORT")), token));
        // The token's previous code is still good online; the bundle then starts at the current step. The
        // previous code is one step inside the window only until this step ends: start early in a step.
        Instant fetchedAt = earlyInAStep(profiles.find(user).orElseThrow().otp().periodSeconds(), Duration.ofSeconds(10));
        OfflineBundle bundle = agent.fetch(user, (pin + device.otp(user, fetchedAt.minusSeconds(30))).toCharArray(), 7, null,
                fetchedAt).bundle();
        assertEquals(serial, bundle.serialNumber());
        assertEquals(600_000, bundle.iterations());

        Path stateFile = dataDir.resolve("run/state.properties");
        List<String> services = List.of("registration", "provisioning", "visual-codes", "otp", "push");
        List<String> pids = services.stream().map(s -> {
            try {
                return state(stateFile).getProperty("service." + s + ".pid");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        String typed;
        try {
            signal("-STOP", pids);
            HttpClient impatient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            assertThrows(IOException.class, () -> impatient.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + ENV.get("COUNTERSIGN_OTP_PORT") + "/q/health/ready")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()), "the otp-service does not answer");

            Instant now = Instant.now();
            String otp = device.otp(user, now);
            typed = pin + otp;
            assertEquals(bundle.otp().timeStep(now.getEpochSecond()), agent.login(user, typed.toCharArray(), now).step());
            assertEquals(AgentException.Kind.REJECTED, assertThrows(AgentException.class,
                    () -> agent.login(user, typed.toCharArray(), now)).kind(), "a replayed step");
            assertEquals(AgentException.Kind.REJECTED, assertThrows(AgentException.class,
                    () -> agent.login(user, ("04711924" + otp).toCharArray(), now)).kind(), "a wrong PIN");
            Instant next = now.plusSeconds(30);
            String nextOtp = device.otp(user, next);
            String wrongOtp = nextOtp.substring(0, 5) + (char) ('0' + (nextOtp.charAt(5) - '0' + 1) % 10);
            assertEquals(AgentException.Kind.REJECTED, assertThrows(AgentException.class,
                    () -> agent.login(user, (pin + wrongOtp).toCharArray(), next)).kind(), "a wrong OTP");
            Instant outside = bundle.validUntil().plusSeconds(60);
            assertEquals(AgentException.Kind.NO_DATA, assertThrows(AgentException.class,
                    () -> agent.login(user, (pin + device.otp(user, outside)).toCharArray(), outside)).kind(), "a time outside the data");
            assertEquals(AgentException.Kind.REJECTED, assertThrows(AgentException.class, () -> agent.login(user,
                    (pin + device.otp(user, bundle.validFrom().minusSeconds(30))).toCharArray(), bundle.validFrom())).kind(),
                    "a step before the data");

            byte[] instanceSecret = ProtocolUris.parseActivationMessage2(message2).open(
                    ProtocolUris.parseActivationMessage1(message1), DeviceCode.parse(deviceCode)).reveal();
            byte[] otpKey = InstanceKeys.of(Secret.copyOf(instanceSecret)).otp(bundle.otp()).reveal();
            String agentFiles = Files.readString(agent.store().file(), StandardCharsets.UTF_8) + bundle.toJson();
            for (byte[] secret : List.of(instanceSecret, otpKey)) {
                for (String text : List.of(HexFormat.of().formatHex(secret), Base64.getEncoder().encodeToString(secret),
                        Base64.getUrlEncoder().withoutPadding().encodeToString(secret), Base32.encode(secret))) {
                    assertTrue(!agentFiles.contains(text), "no instance secret or K_otp in the agent's file or the bundle");
                }
            }
            assertTrue(!agentFiles.contains(pin), "no PIN in the agent's file or the bundle");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(agent.store().file())));
        } finally {
            signal("-CONT", pids);
        }
        awaitTrue(() -> {
            try {
                return send("OTP", "GET", "/q/health/ready", null, null).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }, "the otp-service answers again");
        assertEquals(1, agent.report(user));
        String sameCode = "{\"userId\":\"" + user + "\",\"credential\":\"" + typed + "\"}";
        assertTrue(send("OTP", "POST", "/api/v1/otp/verify", "application/json", sameCode).body().contains("\"rejected\""),
                "the code used offline fails online");
        ConsumerRecord<String, byte[]> reported = null;
        Instant deadline = Instant.now().plusSeconds(30);
        while (reported == null && Instant.now().isBefore(deadline)) {
            reported = records(Topics.AUTHENTICATIONS).stream().filter(r -> (user + "@" + DOMAIN).equals(r.key())
                    && "org.countersign.authentication.offline-usage-reported.v1".equals(header(r, "ce_type"))).findFirst().orElse(null);
        }
        assertTrue(reported != null && new String(reported.value(), StandardCharsets.UTF_8).contains("\"replayStateMoved\":true"),
                "the report moved the replay state");
        StringBuilder everything = new StringBuilder();
        records(Topics.AUTHENTICATIONS).forEach(r -> everything.append(new String(r.value(), StandardCharsets.UTF_8)));
        everything.append(Files.readString(dataDir.resolve("logs/otp.log"), StandardCharsets.ISO_8859_1));
        assertTrue(!everything.toString().contains(pin) && !everything.toString().contains(bundle.toJson().substring(
                bundle.toJson().indexOf("\"tags\":") + 8, bundle.toJson().indexOf("\"tags\":") + 30)),
                "no PIN and no tag in the events or the otp-service's log");
    }

    /**
     * Now, or the start of the next time step when fewer than {@code margin} are left of this one: a
     * code made for the previous step then reaches the service while the service's window still holds it.
     */
    private static Instant earlyInAStep(long periodSeconds, Duration margin) throws InterruptedException {
        long periodMillis = periodSeconds * 1000;
        long left = periodMillis - Instant.now().toEpochMilli() % periodMillis;
        if (left < margin.toMillis()) {
            Thread.sleep(left + 100);
        }
        return Instant.now();
    }

    private static void signal(String signal, List<String> pids) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        command.addAll(pids);
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor());
    }

    private static HttpResponse<String> as(String bearer, String service, String method, String path, String body) throws Exception {
        return send(bearer, service, method, path, body == null ? null : "application/json", body);
    }

    /** The code a stock app shows at that time for the QR code in the image (scripts/stock-app-totp.sh). */
    private static String stockApp(Path image, long unixTime) throws Exception {
        Process process = new ProcessBuilder("bash", home().resolve("scripts/stock-app-totp.sh").toString(), image.toString(),
                Long.toString(unixTime)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String code = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES) && process.exitValue() == 0, "scripts/stock-app-totp.sh failed");
        return code;
    }

    /**
     * Issue 17's system test: a phone enrolled online holds the push channel in a process of its own
     * (./countersign device listen); an app's push request reaches it; the person types the number the
     * app shows; the app sees "approved" through SSE and through the long-poll; the events are on Kafka
     * in order and carry no message text. Then the same phone, with no channel, polls and approves
     * (./countersign device pending). A second replica and FCM wake-ups: PushReplicasIT.
     */
    @Test
    void pushApproval_phoneOnTheChannel_thenByPolling_appSeesTheAnswer_eventsInOrder() throws Exception {
        Path phoneData = phoneEnrolledOnline("hana", "hana-phone", new EnrolmentOptions("web", null, "Hana's phone", true));
        String app = pushApp();
        awaitTrue(() -> push(app, "GET", "/api/v1/devices?userId=hana", null).body().contains("\"instanceId\""),
                "the push-service learns the phone from the activation event");
        assertEquals(200, push(app, "PUT", "/api/v1/push/users/hana", "{\"enabled\":true}").statusCode());

        Process listen = device(phoneData, "listen", "--profile", "hana-phone", "--once", "--wait", "120");
        BufferedReader screen = new BufferedReader(new InputStreamReader(listen.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder shown = new StringBuilder();
        readUntil(screen, "Connected to", shown);
        HttpResponse<String> created = push(app, "POST", "/api/v1/push/requests", "{\"userId\":\"hana\",\"message\":"
                + "\"Sign in to Example Bank\",\"fields\":[{\"name\":\"Browser\",\"value\":\"Firefox\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        String requestId = JSON.readTree(created.body()).get("requestId").asText();
        int number = JSON.readTree(created.body()).get("displayNumber").asInt();
        String status = "http://127.0.0.1:" + ENV.get("COUNTERSIGN_PUSH_PORT") + "/api/v1/push/requests/" + requestId;
        java.util.concurrent.CompletableFuture<HttpResponse<String>> longPoll = HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create(status + "?wait=30")).header("Authorization", "Bearer " + app).build(), HttpResponse.BodyHandlers.ofString());
        java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> events = HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(status + "/events")).header("Authorization", "Bearer " + app)
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());

        readUntil(screen, "Approve:", shown);
        assertTrue(shown.toString().contains("Sign in to Example Bank") && shown.toString().contains("Browser: Firefox")
                && shown.toString().contains(Integer.toString(number)), shown.toString());
        listen.getOutputStream().write((number + "\n").getBytes(StandardCharsets.UTF_8));
        listen.getOutputStream().flush();
        readUntil(screen, "Approved: " + requestId, shown);
        assertTrue(listen.waitFor(60, TimeUnit.SECONDS), "device listen --once ends after the answer");
        assertEquals(0, listen.exitValue(), shown.toString());

        JsonNode polled = JSON.readTree(longPoll.get(40, TimeUnit.SECONDS).body());
        assertEquals("approved", polled.get("status").asText(), polled.toString());
        String instanceId = polled.get("instanceId").asText();
        List<String> streamed = events.get(40, TimeUnit.SECONDS).body().filter(line -> line.startsWith("data:")).toList();
        assertEquals("approved", JSON.readTree(streamed.get(streamed.size() - 1).substring(5).trim()).get("status").asText());

        // By polling: no channel now (the push-service has seen it close); the phone finds the request and approves it.
        awaitTrue(() -> push(app, "GET", "/api/v1/devices?userId=hana", null).body().contains("\"connected\":false"),
                "the channel is closed");
        HttpResponse<String> second = push(app, "POST", "/api/v1/push/requests", "{\"userId\":\"hana\",\"message\":"
                + "\"Pay 10.00 EUR to ACME\"}");
        assertEquals(201, second.statusCode(), second.body());
        String secondId = JSON.readTree(second.body()).get("requestId").asText();
        Process pending = device(phoneData, "pending", "--profile", "hana-phone", "--quiet", "--approve",
                JSON.readTree(second.body()).get("displayNumber").asText());
        String answered = new String(pending.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(pending.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, pending.exitValue(), answered);
        assertEquals("approved", answered);
        assertTrue(push(app, "GET", "/api/v1/push/requests/" + secondId, null).body().contains("\"status\":\"approved\""));

        // The events, in order, on the user's key; never the message or the fields.
        List<String> expected = List.of("user.push-enabled-changed", "device.device-connected", "push.push-requested",
                "push.push-approved", "device.device-disconnected", "push.push-requested", "push.push-approved");
        List<ConsumerRecord<String, byte[]>> mine = List.of();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            mine = records(Topics.PUSH).stream().filter(r -> ("hana@" + DOMAIN).equals(r.key())).toList();
            if (mine.size() >= expected.size()) {
                break;
            }
            Thread.sleep(300);
        }
        assertEquals(expected, mine.stream().map(r -> header(r, "ce_type").replace("org.countersign.", "").replace(".v1", "")).toList());
        for (ConsumerRecord<String, byte[]> record : mine) {
            String data = new String(record.value(), StandardCharsets.UTF_8);
            assertTrue(!data.contains("Sign in to Example Bank") && !data.contains("Firefox") && !data.contains("ACME"), data);
        }
        assertTrue(new String(mine.get(3).value(), StandardCharsets.UTF_8).contains(instanceId));
    }

    /**
     * ./countersign bench push at a small scale against this suite (free ports): every channel opens,
     * every push is approved through it, and each figure is printed beside its goal.
     */
    @Test
    void benchPush_smallScale_everyChannelOpens_everyPushApproved_figuresBesideTheGoals() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(UpCommand.javaBinary(), "-jar", System.getProperty("launcher.jar"), "bench", "push",
                "--json").redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(ENV);
        builder.environment().put("COUNTERSIGN_HOME", home().toString());
        builder.environment().put("COUNTERSIGN_BENCH_PUSH_CONNECTIONS", "100");
        builder.environment().put("COUNTERSIGN_BENCH_PUSH_RATE", "15");
        builder.environment().put("COUNTERSIGN_BENCH_PUSH_SECONDS", "4");
        Process bench = builder.start();
        String output = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bench.waitFor(10, TimeUnit.MINUTES));
        assertEquals(0, bench.exitValue(), output);
        JsonNode figures = JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals("100 / 100", figures.get("channels open / asked for (goal 50000)").asText(), figures.toString());
        assertTrue(figures.get("pushes measured at 15/s (goal rate 1000/s)").asText().endsWith(" 0 failed"), figures.toString());
        assertTrue(figures.get("create -> device, ms p50 / p99 (goal p99 <= 50)").asText().matches("[0-9.]+ / [0-9.]+"),
                figures.toString());
        assertTrue(figures.get("answer -> app's long-poll, ms p50 / p99 (goal p99 <= 50)").asText().matches("[0-9.]+ / [0-9.]+"),
                figures.toString());
        assertTrue(figures.has("push-service heap after GC, MB: idle -> with the channels (goal <= 1536 at 50000)"), figures.toString());
    }

    private static HttpResponse<String> push(String app, String method, String path, String body) throws Exception {
        return json(port("PUSH"), app, method, path, body);
    }

    /** Kills the provisioning-service outright and waits until the launcher has it up again. */
    private static void restartProvisioning() throws Exception {
        Path stateFile = dataDir.resolve("run/state.properties");
        long pid = Long.parseLong(state(stateFile).getProperty("service.provisioning.pid"));
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        awaitTrue(() -> !Long.toString(pid).equals(state(stateFile).getProperty("service.provisioning.pid")),
                "the launcher restarts the provisioning-service");
        awaitTrue(() -> {
            try {
                return send("PROVISIONING", "GET", "/q/health/ready", null, null).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }, "the restarted provisioning-service is ready");
    }

    /** One RESP command to the suite's Redis; bulk and array answers come back one item per line. */
    private static String redis(String... command) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", Integer.parseInt(ENV.get("COUNTERSIGN_REDIS_PORT")))) {
            StringBuilder out = new StringBuilder("*" + command.length + "\r\n");
            for (String part : command) {
                out.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
            }
            socket.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            return readReply(in);
        }
    }

    private static String readReply(java.io.DataInputStream in) throws IOException {
        String line = readLine(in);
        switch (line.charAt(0)) {
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    return "";
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                StringBuilder items = new StringBuilder();
                for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
                    items.append(readReply(in)).append('\n');
                }
                return items.toString();
            }
            case '-' -> throw new IOException("Redis: " + line);
            default -> {
                return line.substring(1);
            }
        }
    }

    private static String readLine(java.io.DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }

    private static List<ConsumerRecord<String, byte[]>> records(String topic) {
        List<ConsumerRecord<String, byte[]>> found = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                "127.0.0.1:" + ENV.get("COUNTERSIGN_KAFKA_PORT")), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return found;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            Instant deadline = Instant.now().plusSeconds(20);
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
            }
        }
        return found;
    }

    /** The one event of that type about {@code about}, waiting for it. */
    private static ConsumerRecord<String, byte[]> only(String topic, String key, String type, String about) throws Exception {
        String ceType = "org.countersign." + (topic.equals(Topics.REGISTRATIONS) ? "registration." : "activation.") + type + ".v1";
        List<ConsumerRecord<String, byte[]>> matches = List.of();
        Instant deadline = Instant.now().plusSeconds(30);
        while (matches.isEmpty() && Instant.now().isBefore(deadline)) {
            matches = records(topic).stream().filter(r -> key.equals(r.key()) && ceType.equals(header(r, "ce_type"))
                    && new String(r.value(), StandardCharsets.UTF_8).contains(about)).toList();
            if (matches.isEmpty()) {
                Thread.sleep(300);
            }
        }
        assertEquals(1, matches.size(), "exactly one " + type + " for " + about);
        return matches.get(0);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
