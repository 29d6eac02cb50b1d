package org.countersign.provisioning.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.countersign.events.Topics;
import org.countersign.events.payload.ActivationFailed;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.DeviceAdded;
import org.countersign.protocol.Base32;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.OnlineConfirmation;
import org.countersign.protocol.P256;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.testing.TestSealing;
import org.countersign.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * Online activation on the real stack, with this test playing the device through libs/protocol's
 * device side (whose computations are pinned by protocol.md's frozen vectors there). CSRs a device
 * would never send are built with BouncyCastle.
 */
@QuarkusTest
class OnlineActivationTest extends ActivationTestBase {

    @Inject
    RedisDataSource redis;

    @Test
    void enrolThenConfirm_instanceOnline_certificateChainsToTheCa_eventsCarryTheKeyAndNoSecret() throws Exception {
        Registration registration = registered("online", Instant.now().plusSeconds(600));
        KeyPair keys = P256.generateKeyPair();
        EnrolmentRequest request = EnrolmentRequest.create(registration.ap(), registration.rid(), registration.sn(), keys);
        ExtractableResponse<Response> answer = enrol(enrolment(registration, request)).statusCode(201)
                .header("Cache-Control", "no-store").body("otp", equalTo("totp:sha1:6:30"))
                .body("pushChannel", equalTo("ws://127.0.0.1:8085/api/v1/devices/channel"))
                .body("epk", notNullValue()).body("n", notNullValue()).body("c", notNullValue()).extract();
        X509Certificate certificate = certificate(answer.path("certificate"));
        X509Certificate ca = certificate(answer.path("caCertificate"));
        validate(certificate, ca);
        assertEquals("CN=" + registration.sn(), certificate.getSubjectX500Principal().getName());
        assertArrayEquals(keys.getPublic().getEncoded(), certificate.getPublicKey().getEncoded(), "the certificate holds the device key");
        state(registration).body("status", equalTo("device_added")).body("activationType", equalTo("online"));
        String iid = answer.path("instanceId");
        assertTrue(sql("SELECT sealed_instance_secret FROM activations WHERE registration_id = '" + registration.rid() + "'")
                .startsWith("v2."), "IS waits sealed for the confirmation");

        OnlineDevice device = new OnlineDevice(registration, keys, request, iid, answer.path("otp"),
                org.countersign.protocol.SealedInstanceSecret.parse(answer.path("epk"), answer.path("n"), answer.path("c"))
                        .open(keys.getPrivate(), request.csr(), registration.rid(), iid,
                                org.countersign.protocol.OtpPolicy.parse(answer.path("otp"))));
        String confirmation = device.confirmation();
        confirm(registration, confirmation).statusCode(200).body("instanceId", equalTo(iid)).body("mode", equalTo("online"))
                .body("status", equalTo("active")).body("platform", equalTo("android")).body("deviceName", equalTo("Alice's phone"))
                .body("certificateSerial", equalTo(certificate.getSerialNumber().toString(16)))
                .body("certificateNotAfter", notNullValue());
        // A replayed confirmation: the registration is done.
        confirm(registration, confirmation).statusCode(409).body("type", equalTo(PROBLEMS + "activation-state-conflict"))
                .body("detail", containsString("already activated"));
        given().header("Authorization", bearer()).when().get("/api/v1/instances/" + iid).then().statusCode(200)
                .body("mode", equalTo("online")).body("certificateSerial", equalTo(certificate.getSerialNumber().toString(16)))
                .body("platform", equalTo("android"));
        state(registration).body("status", equalTo("activated"));

        ConsumerRecord<String, byte[]> added = event(Topics.ACTIVATIONS, DeviceAdded.TYPE.ceType(), registration.rid());
        ConsumerRecord<String, byte[]> activated = event(Topics.ACTIVATIONS, AuthenticatorActivated.TYPE.ceType(), registration.rid());
        JsonNode data = JSON.readTree(activated.value());
        assertEquals("online", data.get("mode").asText());
        assertEquals(base64url(keys.getPublic().getEncoded()), data.get("publicKey").asText(), "the SPKI DER of the device key");
        assertEquals(answer.path("certificate"), data.get("certificate").asText());
        assertEquals("android", data.get("platform").asText());
        assertTrue(data.get("biometric").asBoolean());
        assertEquals("fcm:token-" + registration.rid(), data.get("pushToken").asText());
        ConsumerRecord<String, byte[]> credential = event(Topics.INTERNAL_CREDENTIALS, CredentialProvisioned.TYPE.ceType(), iid);
        assertArrayEquals(device.instanceSecret().reveal(), TestSealing.openAs("otp",
                SealedValue.parse(JSON.readTree(credential.value()).get("sealedInstanceSecret").asText()),
                CredentialProvisioned.instanceSecretBinding(DOMAIN, registration.userId(), iid)).reveal(),
                "IS reaches the otp-service sealed for transport, bound to its instance");

        List<String> secrets = List.of(Base32.encode(registration.ap().reveal()), base64url(registration.ap().reveal()),
                base64url(device.instanceSecret().reveal()), Base64.getEncoder().encodeToString(device.instanceSecret().reveal()),
                request.proof());
        assertTrue(log().contains(registration.rid()), "the log search covers this activation");
        for (String text : List.of(new String(added.value(), StandardCharsets.UTF_8), new String(activated.value(), StandardCharsets.UTF_8),
                new String(credential.value(), StandardCharsets.UTF_8), sql("SELECT string_agg(payload, '') FROM outbox_events"),
                String.valueOf(redis.value(String.class).get("cs:provisioning:activation:" + registration.rid())), log())) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "no secret in " + text);
            }
        }
    }

    @Test
    void wrongProofs_fiveFromAnyone_refusedUncounted_realDeviceStillActivates() throws Exception {
        Registration registration = registered("online", Instant.now().plusSeconds(600));
        Registration other = registered("online", Instant.now().plusSeconds(600));
        KeyPair keys = P256.generateKeyPair();
        // A valid request for the other registration, sent for this one: its proof is keyed and bound to the other.
        String forOther = enrolment(registration, EnrolmentRequest.create(other.ap(), other.rid(), registration.sn(), keys));
        // And what anyone who saw the registration id can post: a proof made up without the activation password.
        String madeUp = enrolment(registration, EnrolmentRequest.create(registration.ap(), registration.rid(), registration.sn(), keys))
                .replaceFirst("\"proof\":\"[^\"]*\"", "\"proof\":\"" + base64url(new byte[32]) + "\"");
        for (String body : List.of(forOther, madeUp, forOther, madeUp, forOther, madeUp)) {
            enrol(body).statusCode(422).body("type", equalTo(PROBLEMS + "wrong-activation-proof"))
                    .body("detail", containsString("no attempt was used"));
        }
        state(registration).body("status", equalTo("pending")).body("attemptsLeft", equalTo(5));
        OnlineDevice device = enrolled(registration, null);
        confirm(registration, device.confirmation()).statusCode(200).body("status", equalTo("active"));
        state(other).body("status", equalTo("pending")).body("attemptsLeft", equalTo(5));
    }

    @Test
    void badCsrs_400_notCounted_butTheProofIsCheckedFirst() throws Exception {
        Registration registration = registered("online", Instant.now().plusSeconds(600));
        KeyPair device = P256.generateKeyPair();
        KeyPair other = P256.generateKeyPair();
        csr(registration, csr(device.getPublic(), other, "CN=" + registration.sn(), "SHA256withECDSA")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "wrong-csr-signature"));
        KeyPair p384 = ecKeys("secp384r1");
        csr(registration, csr(p384.getPublic(), p384, "CN=" + registration.sn(), "SHA256withECDSA")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "unsupported-device-key"));
        csr(registration, csr(device.getPublic(), device, "CN=SN-someone-else", "SHA256withECDSA")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "wrong-csr-subject"));
        csr(registration, csr(device.getPublic(), device, "CN=" + registration.sn() + ",O=Acme", "SHA256withECDSA")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "wrong-csr-subject"));
        csr(registration, "not a CSR at all".getBytes(StandardCharsets.US_ASCII)).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-csr"));
        enrol(enrolment(registration, EnrolmentRequest.create(registration.ap(), registration.rid(), registration.sn(), device))
                .replace("\"platform\":\"android\"", "\"platform\":\"symbian\"")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation"));
        enrol("{\"registrationId\":\"" + registration.rid() + "\",\"csr\":\"a+b/\",\"proof\":\"x\",\"platform\":\"ios\",\"biometric\":false}")
                .statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
        state(registration).body("attemptsLeft", equalTo(5)).body("status", equalTo("pending"));

        // A CSR signed by another key and a wrong proof: the proof is checked first (and not counted either).
        byte[] forged = csr(device.getPublic(), other, "CN=" + registration.sn(), "SHA256withECDSA");
        EnrolmentRequest wrongProof = EnrolmentRequest.of(registered("online", Instant.now().plusSeconds(600)).ap(),
                registration.rid(), forged);
        enrol(enrolment(registration, wrongProof)).statusCode(422).body("type", equalTo(PROBLEMS + "wrong-activation-proof"));
        state(registration).body("attemptsLeft", equalTo(5));

        // Nothing was written by the refusals: a right request still enrols.
        enrolled(registration, null);
    }

    @Test
    void secondEnrolment_409_counted_confirmationKeepsTheFirst() throws Exception {
        OnlineDevice first = enrolled(registered("online", Instant.now().plusSeconds(600)), null);
        KeyPair keys = P256.generateKeyPair();
        Registration registration = first.registration();
        enrol(enrolment(registration, EnrolmentRequest.create(registration.ap(), registration.rid(), registration.sn(), keys)))
                .statusCode(409).body("type", equalTo(PROBLEMS + "activation-state-conflict"))
                .body("detail", containsString("4 attempts left"));
        // With a right proof a bad CSR does not matter: the caller holds the activation password, and is counted.
        csr(registration, csr(keys.getPublic(), P256.generateKeyPair(), "CN=" + registration.sn(), "SHA256withECDSA"))
                .statusCode(409).body("type", equalTo(PROBLEMS + "activation-state-conflict"))
                .body("detail", containsString("3 attempts left"));
        confirm(registration, first.confirmation()).statusCode(200).body("instanceId", equalTo(first.iid()));
    }

    @Test
    void repeatedEnrolmentsWithoutTheActivationPassword_fiveRefusedUncounted_realDeviceStillActivates() throws Exception {
        OnlineDevice device = enrolled(registered("online", Instant.now().plusSeconds(600)), null);
        Registration registration = device.registration();
        Registration other = registered("online", Instant.now().plusSeconds(600));
        for (int i = 0; i < 5; i++) {
            // Whoever knows only the registration id: a proof keyed with some other password.
            enrol(enrolment(registration, EnrolmentRequest.create(other.ap(), registration.rid(), registration.sn(),
                    P256.generateKeyPair()))).statusCode(422).body("type", equalTo(PROBLEMS + "wrong-activation-proof"))
                    .body("detail", containsString("no attempt was used"));
        }
        enrol("{\"registrationId\":\"" + registration.rid() + "\",\"csr\":\"AAAA\",\"proof\":\"x\",\"platform\":\"ios\","
                + "\"biometric\":false}").statusCode(422).body("type", equalTo(PROBLEMS + "wrong-activation-proof"));
        state(registration).body("status", equalTo("device_added")).body("attemptsLeft", equalTo(5));
        confirm(registration, device.confirmation()).statusCode(200).body("instanceId", equalTo(device.iid()))
                .body("status", equalTo("active"));
    }

    @Test
    void confirmationsNotSignedByTheEnrolledKey_fiveRefusedUncounted_realDeviceStillActivates() throws Exception {
        OnlineDevice device = enrolled(registered("online", Instant.now().plusSeconds(600)), null);
        Registration registration = device.registration();
        String code = device.code();
        KeyPair stranger = P256.generateKeyPair();
        List<String> unsigned = List.of(
                body(device.iid(), code, OnlineConfirmation.sign(stranger.getPrivate(), registration.rid(), device.iid(), code)),
                body(device.iid(), code, OnlineConfirmation.sign(device.keys().getPrivate(), "other-rid", device.iid(), code)),
                body(device.iid(), "12345678", "AAAA"),
                body(UUID.randomUUID().toString(), "00000000", base64url(new byte[70])),
                body(device.iid(), code, OnlineConfirmation.sign(stranger.getPrivate(), registration.rid(), device.iid(), code)),
                body(device.iid(), "87654321", "AAAA"));
        for (String body : unsigned) {
            confirm(registration, body).statusCode(422).body("type", equalTo(PROBLEMS + "wrong-activation-signature"))
                    .body("detail", containsString("no attempt was used"));
        }
        state(registration).body("status", equalTo("device_added")).body("attemptsLeft", equalTo(5));
        confirm(registration, device.confirmation()).statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void wrongCodeOrInstanceSignedByTheDevice_counted_untilFailedForGood() throws Exception {
        OnlineDevice device = enrolled(registered("online", Instant.now().plusSeconds(600)), null);
        Registration registration = device.registration();
        String code = device.code();
        String rightSignature = OnlineConfirmation.sign(device.keys().getPrivate(), registration.rid(), device.iid(), code);
        List<String> wrong = new java.util.ArrayList<>();
        for (String wrongCode : List.of("00000000", "00000001", "00000002", "00000003", "00000004")) {
            if (!wrongCode.equals(code)) {
                wrong.add(body(device.iid(), wrongCode, OnlineConfirmation.sign(device.keys().getPrivate(), registration.rid(),
                        device.iid(), wrongCode)));
            }
        }
        // The signature covers the instance id answered at enrolment, so only the device can send this one.
        wrong.add(0, body(UUID.randomUUID().toString(), code, rightSignature));
        int left = 4;
        for (String body : wrong.subList(0, 4)) {
            confirm(registration, body).statusCode(422).body("type", equalTo(PROBLEMS + "wrong-activation-signature"))
                    .body("detail", containsString(left + (left == 1 ? " attempt left" : " attempts left")));
            left--;
        }
        confirm(registration, wrong.get(4)).statusCode(409).body("type", equalTo(PROBLEMS + "activation-failed"));
        confirm(registration, device.confirmation()).statusCode(409).body("type", equalTo(PROBLEMS + "activation-failed"));
        JsonNode failed = JSON.readTree(event(Topics.ACTIVATIONS, ActivationFailed.TYPE.ceType(), registration.rid()).value());
        assertEquals("too-many-wrong-signatures", failed.get("reason").asText());
        assertEquals(device.iid(), failed.get("instanceId").asText());
        assertEquals("0", sql("SELECT count(*) FROM authenticator_instances WHERE instance_id = '" + device.iid() + "'"));
    }

    @Test
    void enrolmentBeforeItsRegistrationPending_waitsForTheEvent_thenSucceeds() throws Exception {
        String rid = UUID.randomUUID().toString();
        Secret ap = Secret.random(20);
        String sn = "SN-" + rid.substring(0, 8);
        KeyPair keys = P256.generateKeyPair();
        Registration early = new Registration(rid, sn, "user-" + rid.substring(0, 8), ap);
        // The phone posts at once; registration-service's event is read a moment later.
        CompletableFuture<ExtractableResponse<Response>> answer = CompletableFuture.supplyAsync(() -> enrol(enrolment(early,
                EnrolmentRequest.create(ap, rid, sn, keys))).extract());
        Thread.sleep(300);
        publishPending(rid, sn, "online", null, null, early.userId(), Instant.now().plusSeconds(600), ap);
        assertEquals(201, answer.get(30, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void refusals_unknown404_otherTypes409_expired410_confirmBeforeEnrol409_otherTenant404() throws Exception {
        KeyPair keys = P256.generateKeyPair();
        Registration unknown = new Registration(UUID.randomUUID().toString(), "SN-X", "nobody", org.countersign.secrets.Secret.random(20));
        enrol(enrolment(unknown, EnrolmentRequest.create(unknown.ap(), unknown.rid(), unknown.sn(), keys))).statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-registration"));
        confirm(unknown, body(UUID.randomUUID().toString(), "12345678", "AAAA")).statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-registration"));

        for (String type : List.of("offline", "otpauth")) {
            Registration other = registered(type, null, type.equals("otpauth") ? "totp:sha1:6:30" : null, "user-t",
                    Instant.now().plusSeconds(600));
            enrol(enrolment(other, EnrolmentRequest.create(other.ap(), other.rid(), other.sn(), keys))).statusCode(409)
                    .body("type", equalTo(PROBLEMS + "wrong-activation-type"));
        }
        Registration expired = registered("online", Instant.now().minusSeconds(1));
        enrol(enrolment(expired, EnrolmentRequest.create(expired.ap(), expired.rid(), expired.sn(), keys))).statusCode(410)
                .body("type", equalTo(PROBLEMS + "registration-expired"));

        Registration early = registered("online", Instant.now().plusSeconds(600));
        confirm(early, body(UUID.randomUUID().toString(), "12345678", "AAAA")).statusCode(409)
                .body("type", equalTo(PROBLEMS + "activation-state-conflict")).body("detail", containsString("enrol first"));
        confirm(early, body(UUID.randomUUID().toString(), "1234", "AAAA")).statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
        state(early).body("attemptsLeft", equalTo(5));

        // Another tenant sees none of it, on every route that names a tenant.
        OnlineDevice device = onlineDevice();
        String other = TestTokens.bearer(TestTokens.OTHER_DOMAIN, "provisioning");
        given().header("Authorization", other).when().get("/api/v1/registrations/" + device.registration().rid() + "/activation")
                .then().statusCode(404).body("type", equalTo(PROBLEMS + "unknown-registration"));
        given().header("Authorization", other).when().get("/api/v1/instances/" + device.iid()).then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-instance"));
        given().header("Authorization", other).when().delete("/api/v1/instances/" + device.iid()).then().statusCode(404);
        given().header("Authorization", other).queryParam("userId", device.registration().userId()).when().get("/api/v1/instances")
                .then().statusCode(200).body("$", org.hamcrest.Matchers.hasSize(0));
        given().header("Authorization", bearer()).when().get("/api/v1/instances/" + device.iid()).then().body("status", equalTo("active"));
    }

    // --- requests a real device would never make ---

    private static String body(String iid, String code, String signature) {
        return "{\"instanceId\":\"" + iid + "\",\"code\":\"" + code + "\",\"signature\":\"" + signature + "\"}";
    }

    /** An enrolment carrying this CSR, with the right proof for it: only the CSR is wrong. */
    private io.restassured.response.ValidatableResponse csr(Registration registration, byte[] der) {
        return enrol(enrolment(registration, EnrolmentRequest.of(registration.ap(), registration.rid(), der)));
    }

    private static byte[] csr(PublicKey key, KeyPair signer, String subject, String algorithm) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key)
                .build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())).getEncoded();
    }

    private static KeyPair ecKeys(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    static X509Certificate certificate(String base64url) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getUrlDecoder().decode(base64url)));
    }

    /** The JDK's PKIX validation with the answered CA certificate as the only trust anchor, revocation checking off. */
    static void validate(X509Certificate certificate, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(certificate)), parameters);
        // And it is not just any certificate that passes: one of a self-made CA does not.
        KeyPair forger = ecKeys("secp256r1");
        X509Certificate forged = certificate(base64url(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                new X500Name(ca.getSubjectX500Principal().getName()), java.math.BigInteger.ONE,
                java.util.Date.from(Instant.now().minusSeconds(60)), java.util.Date.from(Instant.now().plusSeconds(600)),
                new X500Name(certificate.getSubjectX500Principal().getName()), certificate.getPublicKey())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(forger.getPrivate())).getEncoded()));
        assertThrows(CertPathValidatorException.class, () -> CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(forged)), parameters));
        assertTrue(ca.getPublicKey() instanceof ECPublicKey);
    }

    static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
