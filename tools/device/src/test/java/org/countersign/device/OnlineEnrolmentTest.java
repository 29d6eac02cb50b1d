package org.countersign.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.countersign.device.OnlineServer.Misbehaviour;
import org.countersign.protocol.DeviceToken;
import org.countersign.protocol.InvalidDeviceTokenException;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.OtpVerifier;
import org.countersign.protocol.OtpWindow;
import org.countersign.protocol.P256;
import org.countersign.protocol.TransactionField;
import org.countersign.visualcodes.codec.CodeFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online activation, migration and device tokens against {@link OnlineServer}: libs/protocol's
 * server functions behind a real HTTP server on loopback, so that every call the simulator makes
 * goes over a socket as it will to provisioning-service.
 */
class OnlineEnrolmentTest {

    private static final EnrolmentOptions PHONE = new EnrolmentOptions("android", "fcm-token-123", "Alice's phone", true);

    @TempDir
    Path dir;
    private OnlineServer server;
    private ProfileStore store;
    private DeviceSimulator device;

    @BeforeEach
    void setUp() throws Exception {
        server = new OnlineServer();
        store = new ProfileStore(dir.resolve("data/device/profiles.json"));
        device = new DeviceSimulator(store);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private DeviceException refused(Runnable call) {
        return assertThrows(DeviceException.class, call::run);
    }

    /** Offline activation with {@link Server}, as DeviceSimulatorTest does it: the profile to migrate. */
    private Server activateOffline(String rid, String sn, String iid, OtpPolicy otp) {
        Server offline = new Server(rid, sn, iid, otp);
        String dc = device.scanActivation(offline.activationMessage1("Example Bank", "alice"), null);
        offline.activate(device.completeActivation(offline.addDevice(dc), null));
        return offline;
    }

    // ---- enroll ----

    @Test
    void enroll_qrImage_activatesAnOnlineProfileTheServerAgreesWith() throws Exception {
        String uri = server.registerOnline("reg-1", "CS0000001", OtpPolicy.parse("totp:sha256:8:30"), "Example Bank", "alice");
        Path qr = Server.png(dir, "enrol.png", uri, CodeFormat.QR);

        Profile p = device.enroll(DeviceInput.read(qr.toString()), null, PHONE);

        OnlineServer.Registration registration = server.registration("reg-1");
        assertEquals("active", registration.state);
        assertEquals("CS0000001", p.name());
        assertEquals(Profile.State.ACTIVE, p.state());
        assertEquals(Profile.Mode.ONLINE, p.mode());
        assertEquals(registration.iid, p.iid());
        assertEquals("Example Bank", p.issuer());
        assertEquals("alice", p.account());
        assertTrue(p.instanceSecret().sameAs(registration.is), "IS opened from epk, n and c");
        assertArrayEquals(P256.encodeSpki(registration.verified.devicePublicKey()), P256.encodeSpki(p.online().publicKey()));
        assertArrayEquals(P256.encodeSpki(server.activeKey(p.iid())), P256.encodeSpki(p.online().publicKey()));
        assertArrayEquals(server.ca().getEncoded(), p.online().caCertificateDer());
        assertEquals(OnlineServer.PUSH_CHANNEL, p.online().pushChannel());
        assertEquals(server.baseUrl(), p.online().baseUrl());
        assertEquals("reg-1", p.online().registrationId());
        assertNotNull(p.online().confirmedAt());
        // What the device told the server.
        assertEquals("android", registration.request.path("platform").asText());
        assertEquals("fcm-token-123", registration.request.path("pushToken").asText());
        assertEquals("Alice's phone", registration.request.path("deviceName").asText());
        assertTrue(registration.request.path("biometric").asBoolean());
        assertEquals(1, server.enrolmentPosts.get());
        assertEquals(1, server.confirmationPosts.get());

        // The profile, read back by another simulator, makes OTPs the server accepts.
        DeviceSimulator again = new DeviceSimulator(new ProfileStore(store.file()));
        Profile read = again.profiles().get(0);
        assertTrue(read.isOnline());
        assertEquals("android", read.online().platform());
        assertTrue(read.online().biometric());
        OtpPolicy policy = registration.otp;
        long step = policy.timeStep(1_800_000_000L);
        OtpVerifier verifier = OtpVerifier.of(policy, org.countersign.protocol.InstanceKeys.of(registration.is).otp(policy));
        assertEquals(step, verifier.verify(again.otp(null, Instant.ofEpochSecond(1_800_000_000L)), OtpWindow.exactly(step)));
        // And offline signing keeps working for an online instance.
        Server signer = new Server("unused", "CS0000001", p.iid(), policy);
        String request = signer.signingChallenge(p.iid(), org.countersign.protocol.InstanceKeys.of(registration.is), "Pay",
                List.of(new TransactionField("Amount", "1")), Instant.parse("2030-01-01T00:00:00Z"));
        assertEquals(8, again.sign(request, null).response().length());
    }

    @Test
    void enroll_sameCodeAgain_changesNothingAndSendsNothing() {
        String uri = server.registerOnline("reg-2", "CS2", OtpPolicy.DEFAULT, null, null);
        Profile first = device.enroll(uri, "phone", null);
        OnlineEnrolment.Enrolled again = device.enrolment(uri, "phone", null, false);
        assertTrue(again.again());
        assertEquals(first.iid(), again.profile().iid());
        assertEquals(1, server.enrolmentPosts.get());
        assertEquals(1, server.confirmationPosts.get());
        // The default options: platform other, no token, no name, no biometrics.
        assertEquals("other", server.registration("reg-2").request.path("platform").asText());
        assertFalse(server.registration("reg-2").request.has("pushToken"));
        assertFalse(server.registration("reg-2").request.has("deviceName"));
        assertFalse(server.registration("reg-2").request.path("biometric").asBoolean(true));
        // Another online registration into the same, active profile is refused before any call.
        String other = server.registerOnline("reg-3", "CS3", OtpPolicy.DEFAULT, null, null);
        DeviceException e = refused(() -> device.enroll(other, "phone", null));
        assertEquals(DeviceException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("Profile phone is already active"), e.getMessage());
        assertEquals(1, server.enrolmentPosts.get());
    }

    @Test
    void enroll_migrationCode_refusedWithAdvice_andMigrateRefusesANewActivationCode() {
        Server offline = new Server("reg-off", "CS4", "inst-4", OtpPolicy.DEFAULT);
        String migration = server.registerMigration("reg-m", offline, null, null);
        DeviceException e = refused(() -> device.enroll(migration, null, null));
        assertEquals(DeviceException.Kind.USAGE, e.kind());
        assertEquals("This enrolment code moves the existing instance inst-4 online: use it with migrate, not enroll.", e.getMessage());
        String online = server.registerOnline("reg-5", "CS5", OtpPolicy.DEFAULT, null, null);
        e = refused(() -> device.migrate(online, null, null));
        assertTrue(e.getMessage().contains("use it with enroll"), e.getMessage());
        // Other kinds of message say what they are.
        e = refused(() -> device.enroll(offline.activationMessage1(null, null), null, null));
        assertEquals("This is an activation message 1, not an online enrolment code. Use scan for it.", e.getMessage());
        e = refused(() -> device.scanActivation(online, null));
        assertTrue(e.getMessage().endsWith("Use enroll for it (migrate when it moves an offline instance online)."), e.getMessage());
        assertEquals(0, server.enrolmentPosts.get());
        assertTrue(device.profiles().isEmpty());
    }

    // ---- the server says no, or cannot be reached ----

    @Test
    void serverRefusals_showTheProblemDetail_andSaveNothing() {
        String uri = server.registerOnline("reg-6", "CS6", OtpPolicy.DEFAULT, null, null);
        // Another activation password: the proof is wrong.
        String wrongAp = uri.replaceFirst("ap=[A-Z2-7]+", "ap=" + "A".repeat(32));
        DeviceException e = refused(() -> device.enroll(wrongAp, null, null));
        assertEquals(DeviceException.Kind.SERVER, e.kind());
        assertEquals("The server refused the enrolment: HTTP 422 wrong-activation-proof: The enrolment proof is wrong "
                + "(attempts left: 4)", e.getMessage());
        // A registration the server does not know.
        String unknown = uri.replace("rid=reg-6", "rid=reg-nobody");
        e = refused(() -> device.enroll(unknown, null, null));
        assertEquals("The server refused the enrolment: HTTP 404 unknown-registration: No registration reg-nobody", e.getMessage());
        assertTrue(device.profiles().isEmpty());
        // Nobody listens: the port of a server that was closed.
        String base = server.baseUrl();
        server.close();
        e = refused(() -> device.enroll(uri, null, null));
        assertEquals(DeviceException.Kind.SERVER, e.kind());
        assertTrue(e.getMessage().startsWith("Cannot reach " + base + "api/v1/online-activations for the enrolment: "), e.getMessage());
        assertTrue(device.profiles().isEmpty());
    }

    // ---- the device says no to the server's answer ----

    @Test
    void certificateForAnotherKey_refused_andNothingSaved() {
        assertAnswerRefused(Misbehaviour.CERTIFICATE_FOR_ANOTHER_KEY, "the certificate is for another public key than this device's");
    }

    @Test
    void certificateOfAnotherCa_refused_andNothingSaved() {
        assertAnswerRefused(Misbehaviour.ANOTHER_CA, "the certificate does not chain to the caCertificate sent with it");
    }

    @Test
    void certificateForAnotherSerialNumber_refused() {
        assertAnswerRefused(Misbehaviour.WRONG_SUBJECT, "the certificate's subject is CN=CS7X, not CN=CS7");
    }

    @Test
    void tamperedInstanceSecret_refused() {
        assertAnswerRefused(Misbehaviour.TAMPERED_SECRET, "the instance secret does not decrypt with this device's key");
    }

    private void assertAnswerRefused(Misbehaviour how, String why) {
        String uri = server.registerOnline("reg-7", "CS7", OtpPolicy.DEFAULT, null, null);
        server.misbehave(how);
        DeviceException e = refused(() -> device.enroll(uri, null, null));
        assertEquals(DeviceException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().startsWith("The device refuses the server's answer: " + why), e.getMessage());
        assertTrue(e.getMessage().endsWith("register the device again for a new code."), e.getMessage());
        assertEquals(0, server.confirmationPosts.get(), "no confirmation for an answer the device refused");
        assertEquals("enrolled", server.registration("reg-7").state);
        assertTrue(device.profiles().isEmpty());
    }

    @Test
    void checkCertificate_validUntilItExpires_andNeverForAnotherCa() throws Exception {
        var key = P256.generateKeyPair();
        var ours = (java.security.interfaces.ECPublicKey) key.getPublic();
        byte[] certificate = server.issueFor(key.getPublic(), "SN-1");
        byte[] ca = server.ca().getEncoded().clone();
        OnlineEnrolment.checkCertificate(certificate, ca, ours, "SN-1", Instant.now());
        DeviceException expired = refused(() -> OnlineEnrolment.checkCertificate(certificate, ca, ours, "SN-1",
                Instant.now().plus(java.time.Duration.ofDays(400))));
        assertTrue(expired.getMessage().contains("does not chain to the caCertificate"), expired.getMessage());
        // The device certificate itself is no CA.
        DeviceException notCa = refused(() -> OnlineEnrolment.checkCertificate(certificate, certificate, ours, "SN-1", Instant.now()));
        assertTrue(notCa.getMessage().contains("the caCertificate is not a CA certificate"), notCa.getMessage());
        DeviceException garbage = refused(() -> OnlineEnrolment.checkCertificate(new byte[] {0x30, 0}, ca, ours, "SN-1", Instant.now()));
        assertTrue(garbage.getMessage().contains("not a DER X.509 certificate"), garbage.getMessage());
    }

    // ---- migrate ----

    @Test
    void migrate_offlineProfile_keepsInstanceSecretAndTheOtpSequence() {
        OtpPolicy hotp = OtpPolicy.parse("hotp:sha1:6");
        Server offline = activateOffline("reg-off-8", "CS8", "inst-8", hotp);
        OtpVerifier verifier = OtpVerifier.of(hotp, offline.keys().otp(hotp));
        List<String> codes = new ArrayList<>();
        codes.add(device.otp(null, null));
        codes.add(device.otp(null, null));
        Profile before = store.find("CS8").orElseThrow();

        String uri = server.registerMigration("reg-m-8", offline, "Example Bank", "alice");
        Path qr = Server.png(dir, "migrate.png", uri, CodeFormat.QR);
        Profile after = device.migrate(DeviceInput.read(qr.toString()), null, new EnrolmentOptions("ios", null, null, false));

        assertEquals("active", server.registration("reg-m-8").state);
        assertEquals(Profile.Mode.ONLINE, after.mode());
        assertEquals("CS8", after.name());
        assertEquals("inst-8", after.iid());
        assertEquals("reg-off-8", after.rid(), "the profile still names the registration that activated it");
        assertEquals("reg-m-8", after.online().registrationId());
        assertEquals(hotp, after.otp());
        assertEquals(2, after.hotpCounter());
        assertTrue(after.instanceSecret().sameAs(before.instanceSecret()));
        assertTrue(after.instanceSecret().sameAs(offline.instanceSecret()));
        assertEquals(before.activatedAt(), after.activatedAt());
        assertEquals("ios", after.online().platform());
        assertArrayEquals(P256.encodeSpki(server.activeKey("inst-8")), P256.encodeSpki(after.online().publicKey()));

        codes.add(device.otp(null, null));
        codes.add(device.otp("CS8", null));
        for (int counter = 0; counter < 4; counter++) {
            assertEquals(Otp.at(hotp, offline.keys().otp(hotp), counter), codes.get(counter), "counter " + counter);
            assertEquals(counter, verifier.verify(codes.get(counter), OtpWindow.exactly(counter)));
        }
        // The activation message 2 of old still shows the same signature; the profile is the same device.
        assertEquals(1, device.profiles().size());
        // Again with the same code: nothing is sent.
        assertTrue(device.enrolment(uri, null, null, true).again());
        assertEquals(1, server.enrolmentPosts.get());
    }

    @Test
    void migrate_totpProfile_sameCodesBeforeAndAfter() {
        Server offline = activateOffline("reg-off-9", "CS9", "inst-9", OtpPolicy.DEFAULT);
        Instant t = Instant.ofEpochSecond(1_790_000_000L);
        String before = device.otp(null, t);
        device.migrate(server.registerMigration("reg-m-9", offline, null, null), null, null);
        assertEquals(before, device.otp(null, t));
        assertEquals(Otp.at(OtpPolicy.DEFAULT, offline.keys().otp(OtpPolicy.DEFAULT), OtpPolicy.DEFAULT.timeStep(t.getEpochSecond())),
                before);
    }

    @Test
    void migrate_noProfileHoldsTheInstance_refusedClearly() {
        Server elsewhere = new Server("reg-off-10", "CS10", "inst-10", OtpPolicy.DEFAULT);
        String uri = server.registerMigration("reg-m-10", elsewhere, null, null);
        DeviceException e = refused(() -> device.migrate(uri, null, null));
        assertEquals(DeviceException.Kind.USAGE, e.kind());
        assertEquals("No active profile on this device holds instance inst-10 (serial CS10): migrate moves an instance that "
                + "this device activated offline (there are no profiles).", e.getMessage());
        Server mine = activateOffline("reg-off-11", "CS11", "inst-11", OtpPolicy.DEFAULT);
        e = refused(() -> device.migrate(uri, null, null));
        assertTrue(e.getMessage().contains("(profiles: CS11 = instance inst-11)"), e.getMessage());
        e = refused(() -> device.migrate(uri, "CS11", null));
        assertEquals("Profile CS11 is not the instance this code moves online (instance inst-10, serial CS10); it is instance "
                + "inst-11, serial CS11.", e.getMessage());
        assertEquals(0, server.enrolmentPosts.get());
        assertEquals(Profile.Mode.OFFLINE, store.find("CS11").orElseThrow().mode());
        assertEquals("inst-11", mine.iid);
    }

    @Test
    void migrate_answerWithANewSecret_refused_andTheProfileStaysOffline() {
        Server offline = activateOffline("reg-off-12", "CS12", "inst-12", OtpPolicy.DEFAULT);
        server.misbehave(Misbehaviour.SECRET_IN_MIGRATION);
        DeviceException e = refused(() -> device.migrate(server.registerMigration("reg-m-12", offline, null, null), null, null));
        assertEquals(DeviceException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("it sends a new instance secret (epk, n, c) for a migration"), e.getMessage());
        Profile p = store.find("CS12").orElseThrow();
        assertEquals(Profile.Mode.OFFLINE, p.mode());
        assertNull(p.online());
        assertTrue(p.instanceSecret().sameAs(offline.instanceSecret()));
    }

    // ---- a confirmation that fails on the way is retried ----

    @Test
    void confirmationUnavailable_theSameCodeAgainRetriesOnlyTheConfirmation() {
        String uri = server.registerOnline("reg-13", "CS13", OtpPolicy.DEFAULT, null, null);
        server.misbehave(Misbehaviour.CONFIRMATION_UNAVAILABLE);
        DeviceException e = refused(() -> device.enroll(uri, null, null));
        assertEquals(DeviceException.Kind.SERVER, e.kind());
        assertTrue(e.getMessage().startsWith("The server refused the confirmation: HTTP 503 service-unavailable: Try again in a moment."),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("run the same command with the same code again to retry the confirmation, or remove CS13."),
                e.getMessage());
        Profile waiting = store.find("CS13").orElseThrow();
        assertEquals(Profile.State.ENROLLING, waiting.state());
        DeviceException otp = refused(() -> device.otp("CS13", null));
        assertTrue(otp.getMessage().contains("the server has not accepted its confirmation"), otp.getMessage());

        Profile active = device.enroll(uri, null, null);
        assertEquals(Profile.Mode.ONLINE, active.mode());
        assertEquals(1, server.enrolmentPosts.get(), "the retry sends no second enrolment");
        assertEquals(2, server.confirmationPosts.get());
        assertArrayEquals(waiting.online().certificateDer(), active.online().certificateDer(), "the same key");
    }

    @Test
    void confirmationAnswerLost_theRetryAsksTheServerWithTheDeviceToken() {
        String uri = server.registerOnline("reg-14", "CS14", OtpPolicy.DEFAULT, null, null);
        server.misbehave(Misbehaviour.LOSE_CONFIRMATION_ANSWER);
        DeviceException e = refused(() -> device.enroll(uri, null, null));
        assertEquals(DeviceException.Kind.SERVER, e.kind());
        assertEquals("active", server.registration("reg-14").state, "the server did activate");
        assertEquals(Profile.State.ENROLLING, store.find("CS14").orElseThrow().state());

        // The server now answers the confirmation with 409; GET /api/v1/devices/me with a device token shows it active.
        Profile active = device.enroll(uri, null, null);
        assertEquals(Profile.Mode.ONLINE, active.mode());
        assertEquals(2, server.confirmationPosts.get());
    }

    // ---- device tokens ----

    @Test
    void jwt_verifiesAtTheServer_withAFreshJtiEachTime() throws Exception {
        Profile p = device.enroll(server.registerOnline("reg-15", "CS15", OtpPolicy.DEFAULT, null, null), null, null);
        Instant now = Instant.now();
        String first = device.jwt(null, null, 300);
        String second = device.jwt("CS15", DeviceToken.PUSH_AUDIENCE, 60);
        DeviceToken a = DeviceToken.verify(first, p.online().publicKey(), DeviceToken.PUSH_AUDIENCE, now);
        DeviceToken b = server.verifyToken(second, now);
        assertEquals(p.iid(), a.instanceId());
        assertEquals(p.iid(), b.instanceId());
        assertEquals(300, a.expiresAt() - a.issuedAt());
        assertEquals(60, b.expiresAt() - b.issuedAt());
        assertNotEquals(a.jti(), b.jti());
        // Over HTTP, as curl would send it: accepted once, its replay refused.
        assertEquals(200, server.getMe(first));
        assertEquals(401, server.getMe(first));
        assertEquals(200, server.getMe(second));
        // Another audience is refused by a server that expects countersign-push.
        String other = device.jwt(null, "someone-else", 300);
        assertThrows(InvalidDeviceTokenException.class, () -> server.verifyToken(other, now));
        // Lifetimes protocol.md does not allow.
        assertEquals(DeviceException.Kind.USAGE, refused(() -> device.jwt(null, null, 301)).kind());
        assertEquals(DeviceException.Kind.USAGE, refused(() -> device.jwt(null, null, 0)).kind());
    }

    @Test
    void jwt_offlineProfile_refused() {
        activateOffline("reg-off-16", "CS16", "inst-16", OtpPolicy.DEFAULT);
        DeviceException e = refused(() -> device.jwt("CS16", null, 300));
        assertEquals(DeviceException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("Profile CS16 is offline: it has no device key."), e.getMessage());
        e = refused(() -> device.jwt(null, null, 300));
        assertTrue(e.getMessage().startsWith("No online profile on this device (profiles: CS16 = instance inst-16)"), e.getMessage());
    }

    // ---- secrets at rest ----

    @Test
    void profileFile_neverHoldsAPrivateKeyOrAnInstanceSecretInClear() throws Exception {
        Server offline = activateOffline("reg-off-17", "CS17", "inst-17", OtpPolicy.DEFAULT);
        Profile online = device.enroll(server.registerOnline("reg-18", "CS18", OtpPolicy.DEFAULT, null, null), null, null);
        Profile migrated = device.migrate(server.registerMigration("reg-m-17", offline, null, null), null, null);
        Server pending = new Server("reg-19", "CS19", "inst-19", OtpPolicy.DEFAULT);
        device.scanActivation(pending.activationMessage1(null, null), null);
        Profile waiting = store.find("CS19").orElseThrow();

        List<byte[]> secrets = new ArrayList<>();
        for (Profile p : List.of(online, migrated)) {
            secrets.add(p.instanceSecret().reveal());
            secrets.add(p.online().privateKey().getEncoded());
            secrets.add(unsigned(((ECPrivateKey) p.online().privateKey()).getS().toByteArray()));
        }
        secrets.add(waiting.ap().reveal());
        secrets.add(waiting.deviceCode().dn());
        byte[] file = Files.readAllBytes(store.file());
        String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        String keyFile = Files.readString(store.keyFile());
        for (byte[] secret : secrets) {
            for (String form : forms(secret)) {
                assertFalse(text.contains(form), "the profile file holds a secret as " + form);
                assertFalse(keyFile.contains(form), "the key file holds a profile secret");
            }
        }
        assertFalse(text.contains(waiting.deviceCode().digits()));
        assertFalse(text.contains("PRIVATE KEY"));
        assertTrue(text.contains("\"privateKey\" : \"v2.device-1."), "sealed under the key file's key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keyFile())));
        // Without the key file, nothing opens.
        Files.move(store.keyFile(), dir.resolve("elsewhere.key"));
        DeviceException e = refused(() -> device.profiles());
        assertEquals(DeviceException.Kind.STORE, e.kind());
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        Files.move(dir.resolve("elsewhere.key"), store.keyFile());
        assertEquals(3, device.profiles().size());
    }

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement.length == 33 && twosComplement[0] == 0
                ? java.util.Arrays.copyOfRange(twosComplement, 1, 33) : twosComplement;
    }

    /** The forms a secret could take in a text file: base64url, base64, hex (both cases); and the raw bytes. */
    private static List<String> forms(byte[] secret) {
        java.util.Base64.Encoder url = java.util.Base64.getUrlEncoder().withoutPadding();
        java.util.Base64.Encoder std = java.util.Base64.getEncoder().withoutPadding();
        return List.of(url.encodeToString(secret), std.encodeToString(secret), HexFormat.of().formatHex(secret),
                HexFormat.of().withUpperCase().formatHex(secret), new String(secret, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
