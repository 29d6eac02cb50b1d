package org.countersign.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.OtpVerifier;
import org.countersign.protocol.OtpWindow;
import org.countersign.protocol.TransactionData;
import org.countersign.protocol.TransactionField;
import org.countersign.visualcodes.codec.CodeFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against libs/protocol's server side, through real images: activation message 1 as
 * a QR PNG, activation message 2 and signing requests as colour-code PNGs, read back from files by
 * {@link DeviceInput} as a camera would.
 */
class DeviceSimulatorTest {

    private static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;
    private ProfileStore store;
    private DeviceSimulator device;

    @BeforeEach
    void setUp() {
        store = new ProfileStore(dir.resolve("data/device/profiles.json"));
        device = new DeviceSimulator(store);
    }

    /** Register, scan, add device, scan again, activate: what a person does with two images. */
    private Server activate(String profile, Server server) {
        Path am1 = Server.png(dir, "am1-" + server.rid + ".png", server.activationMessage1("Example Bank", "alice@example.com"), CodeFormat.QR);
        String shown = device.scanActivation(DeviceInput.read(am1.toString()), profile);
        assertTrue(shown.matches("\\d{4} \\d{4} \\d{4} \\d{2}"), shown);
        Path am2 = Server.png(dir, "am2-" + server.rid + ".png", server.addDevice(shown), CodeFormat.COLOUR);
        String sig = device.completeActivation(DeviceInput.read(am2.toString()), profile);
        assertTrue(sig.matches("\\d{8}"), sig);
        server.activate(sig);
        return server;
    }

    @Test
    void offlineActivation_throughQrAndColourImages_serverAcceptsTheSignature() {
        Server server = activate(null, new Server("reg-1", "CS0000001", "inst-1", OtpPolicy.DEFAULT));
        Profile p = device.profiles().get(0);
        assertEquals("CS0000001", p.name());
        assertEquals(Profile.State.ACTIVE, p.state());
        assertEquals("inst-1", p.iid());
        assertEquals("reg-1", p.rid());
        assertEquals("Example Bank", p.issuer());
        assertEquals("alice@example.com", p.account());
        assertEquals(OtpPolicy.DEFAULT, p.otp());
        assertNull(p.ap());
        assertTrue(p.instanceSecret().sameAs(server.instanceSecret()));
        // A second simulator on the same file sees the same device.
        assertEquals(1, new DeviceSimulator(new ProfileStore(store.file())).profiles().size());
    }

    @Test
    void scan_pendingProfile_keepsWhatActivationNeeds() {
        Server server = new Server("reg-2", "CS2", "inst-2", OtpPolicy.DEFAULT);
        String dc = device.scanActivation(server.activationMessage1("Bank | Ü", null), "token-a");
        Profile p = store.find("token-a").orElseThrow();
        assertEquals(Profile.State.PENDING, p.state());
        assertEquals("reg-2", p.rid());
        assertEquals("CS2", p.sn());
        assertEquals("Bank | Ü", p.issuer());
        assertNull(p.account());
        assertNull(p.iid());
        assertEquals(dc, p.deviceCode().display());
        assertEquals(20, p.ap().length());
        // Scanning again replaces the pending profile and draws a new device code.
        String again = device.scanActivation(server.activationMessage1("Bank", null), "token-a");
        assertEquals(1, device.profiles().size());
        assertEquals(again, store.find("token-a").orElseThrow().deviceCode().display());
    }

    @Test
    void completeActivation_wrongImageForMessage2_gcmFailsAndProfileStaysPending() {
        Server server = new Server("reg-3", "CS3", "inst-3", OtpPolicy.DEFAULT);
        String shown = device.scanActivation(server.activationMessage1(null, null), null);
        // Another device code typed at the server (a typo that still passes Luhn is impossible to
        // construct simply, so the server gets another valid code): message 2 does not decrypt.
        String other = org.countersign.protocol.DeviceCode.random().display();
        Path wrong = Server.png(dir, "wrong.png", server.addDevice(other), CodeFormat.COLOUR);
        DeviceException e = assertThrows(DeviceException.class,
                () -> device.completeActivation(DeviceInput.read(wrong.toString()), null));
        assertEquals(DeviceException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
        assertEquals(Profile.State.PENDING, store.find("CS3").orElseThrow().state());
        // The right image still works afterwards.
        Path right = Server.png(dir, "right.png", server.addDevice(shown), CodeFormat.COLOUR);
        server.activate(device.completeActivation(DeviceInput.read(right.toString()), null));
    }

    @Test
    void completeActivation_messageOfAnotherRegistration_refusedClearly() {
        Server first = new Server("reg-4", "CS4", "inst-4", OtpPolicy.DEFAULT);
        Server second = new Server("reg-5", "CS5", "inst-5", OtpPolicy.DEFAULT);
        String dc1 = device.scanActivation(first.activationMessage1(null, null), "one");
        device.scanActivation(second.activationMessage1(null, null), "two");
        // Named profile, other registration's message 2.
        String am2ForFirst = first.addDevice(dc1);
        DeviceException e = assertThrows(DeviceException.class, () -> device.completeActivation(am2ForFirst, "two"));
        assertEquals(DeviceException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("belongs to another activation"), e.getMessage());
        // Without a name, the simulator finds the profile that waits for it.
        first.activate(device.completeActivation(am2ForFirst, null));
        assertTrue(store.find("one").orElseThrow().isActive());
        assertFalse(store.find("two").orElseThrow().isActive());
        // Message 2 of a registration nobody scanned.
        Server third = new Server("reg-6", "CS6", "inst-6", OtpPolicy.DEFAULT);
        third.activationMessage1(null, null);
        String am2 = third.addDevice(org.countersign.protocol.DeviceCode.random().display());
        DeviceException none = assertThrows(DeviceException.class, () -> device.completeActivation(am2, null));
        assertEquals(DeviceException.Kind.USAGE, none.kind());
        assertTrue(none.getMessage().contains("No profile waits for registration reg-6"), none.getMessage());
    }

    @Test
    void completeActivation_again_showsTheSameSignatureWithoutActivatingTwice() {
        Server server = new Server("reg-7", "CS7", "inst-7", OtpPolicy.DEFAULT);
        String dc = device.scanActivation(server.activationMessage1(null, null), null);
        String am2 = server.addDevice(dc);
        String sig = device.completeActivation(am2, null);
        assertEquals(sig, device.completeActivation(am2, null));
        assertEquals(sig, device.completeActivation(am2, "CS7"));
        server.activate(sig);
        // Scanning activation message 1 into an active profile is refused.
        DeviceException e = assertThrows(DeviceException.class,
                () -> device.scanActivation(server.activationMessage1(null, null), null));
        assertEquals(DeviceException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("already active"), e.getMessage());
    }

    @Test
    void wrongKindOfMessage_saysWhatItIs() {
        Server server = new Server("reg-8", "CS8", "inst-8", OtpPolicy.DEFAULT);
        String am1 = server.activationMessage1(null, null);
        DeviceException e = assertThrows(DeviceException.class, () -> device.completeActivation(am1, null));
        assertEquals("This is an activation message 1, not an activation message 2. Use scan for it.", e.getMessage());
        e = assertThrows(DeviceException.class, () -> device.sign(am1, null));
        assertTrue(e.getMessage().startsWith("This is an activation message 1, not a signing request."), e.getMessage());
        e = assertThrows(DeviceException.class, () -> device.scanActivation("countersign://enroll?v=1&url=x", null));
        assertTrue(e.getMessage().contains("Use enroll for it"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> device.scanActivation("https://example.com/", null));
        assertEquals("The code does not hold an activation message 1 (not a countersign:// message).", e.getMessage());
        e = assertThrows(DeviceException.class, () -> device.scanActivation(am1.replace("v=1", "v=2"), null));
        assertEquals(DeviceException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("not well formed (activation message 1: v must be 1)"), e.getMessage());
        assertFalse(e.getMessage().contains(am1.substring(am1.indexOf("ap=") + 3, am1.indexOf("ap=") + 20)));
        assertTrue(device.profiles().isEmpty());
    }

    // ---- OTPs ----

    @Test
    void totp_matchesTheServersVerifier() {
        Server server = activate(null, new Server("reg-10", "CS10", "inst-10", OtpPolicy.parse("totp:sha256:8:60")));
        OtpPolicy policy = server.otp;
        OtpVerifier verifier = OtpVerifier.of(policy, server.keys().otp(policy));
        for (long t : new long[] {0, 59, 60, 1_795_428_900L, 4_102_444_800L}) {
            String code = device.otp(null, Instant.ofEpochSecond(t));
            assertEquals(8, code.length());
            assertEquals(policy.timeStep(t), verifier.verify(code, OtpWindow.exactly(policy.timeStep(t))));
        }
        assertThrows(InvalidCodeException.class, () -> verifier.verify(device.otp(null, Instant.ofEpochSecond(120)),
                OtpWindow.exactly(1)));
    }

    @Test
    void hotp_advancesAndSavesTheCounter() {
        Server server = activate("hw", new Server("reg-11", "CS11", "inst-11", OtpPolicy.parse("hotp:sha1:6")));
        OtpPolicy policy = server.otp;
        OtpVerifier verifier = OtpVerifier.of(policy, server.keys().otp(policy));
        for (long counter = 0; counter < 5; counter++) {
            String code = (counter % 2 == 0 ? device : new DeviceSimulator(new ProfileStore(store.file()))).otp("hw", null);
            assertEquals(counter, verifier.verify(code, OtpWindow.exactly(counter)), "counter " + counter);
            assertEquals(Otp.at(policy, server.keys().otp(policy), counter), code);
        }
        assertEquals(5, store.find("hw").orElseThrow().hotpCounter());
    }

    @Test
    void otp_profileChoice_explainedWhenImpossible() {
        DeviceException e = assertThrows(DeviceException.class, () -> device.otp(null, null));
        assertEquals(DeviceException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("activate one first"), e.getMessage());
        Server pending = new Server("reg-12", "CS12", "inst-12", OtpPolicy.DEFAULT);
        device.scanActivation(pending.activationMessage1(null, null), null);
        e = assertThrows(DeviceException.class, () -> device.otp("CS12", null));
        assertTrue(e.getMessage().contains("not activated yet"), e.getMessage());
        activate("a", new Server("reg-13", "CS13", "inst-13", OtpPolicy.DEFAULT));
        assertEquals(6, device.otp(null, null).length());
        activate("b", new Server("reg-14", "CS14", "inst-14", OtpPolicy.DEFAULT));
        e = assertThrows(DeviceException.class, () -> device.otp(null, null));
        assertEquals("Several active profiles (a, b): choose one with --profile NAME.", e.getMessage());
        e = assertThrows(DeviceException.class, () -> device.otp("zzz", null));
        assertTrue(e.getMessage().startsWith("No profile named zzz (profiles: CS12, a, b)"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> device.otp("bad name", null));
        assertEquals(DeviceException.Kind.USAGE, e.kind());
    }

    // ---- signing ----

    @Test
    void sign_colourCodeImage_serverApprovesTheResponse() {
        Server server = activate(null, new Server("reg-20", "CS20", "inst-20", OtpPolicy.DEFAULT));
        List<TransactionField> fields = List.of(new TransactionField("Amount", "EUR 1,250.00"),
                new TransactionField("Payee", "Zoë Ångström | IBAN DE89 3704 0044 0532 0130 00"));
        Path image = Server.png(dir, "sign.png", server.signingChallenge("Approve the payment ✓", fields, LATER), CodeFormat.COLOUR);

        SignedTransaction signed = device.sign(DeviceInput.read(image.toString()), null);
        assertEquals("CS20", signed.profile());
        assertEquals("inst-20", signed.iid());
        assertEquals("chal-1", signed.cid());
        assertEquals("Approve the payment ✓", signed.message());
        assertEquals(fields, signed.fields());
        assertEquals(LATER, signed.expiresAt());
        assertEquals(server.dataHash("chal-1"), signed.dataHash());
        assertEquals(new TransactionData("Approve the payment ✓", fields).dataHash(), signed.dataHash());
        server.verifyResponse("chal-1", signed.response());
        assertFalse(signed.toString().contains(signed.response()));
        // Named profile, no fields, non-ASCII.
        SignedTransaction second = device.sign(server.signingChallenge("Überweisung 🙂", List.of(), LATER), "CS20");
        server.verifyResponse("chal-2", second.response());
        assertThrows(InvalidCodeException.class, () -> server.verifyResponse("chal-1", second.response()));
    }

    @Test
    void sign_tamperedCiphertext_refusedAndNothingSigned() {
        Server server = activate(null, new Server("reg-21", "CS21", "inst-21", OtpPolicy.DEFAULT));
        String uri = server.signingChallenge("Pay 10 EUR", List.of(new TransactionField("Payee", "Alice")), LATER);
        String c = uri.substring(uri.indexOf("&c=") + 3);
        byte[] bytes = Base64.getUrlDecoder().decode(c);
        for (int i = 0; i < bytes.length; i += 7) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            String bad = uri.substring(0, uri.indexOf("&c=") + 3) + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            DeviceException e = assertThrows(DeviceException.class, () -> device.sign(bad, null));
            assertEquals(DeviceException.Kind.REFUSED, e.kind());
            assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
        }
        // Another challenge id pasted into the URI: bound by the AAD.
        DeviceException e = assertThrows(DeviceException.class, () -> device.sign(uri.replace("cid=chal-1", "cid=chal-9"), null));
        assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
        // Through an image too.
        String bad = uri.substring(0, uri.length() - 2) + (uri.endsWith("AA") ? "BA" : "AA");
        Path image = Server.png(dir, "tampered.png", bad, CodeFormat.COLOUR);
        assertThrows(DeviceException.class, () -> device.sign(DeviceInput.read(image.toString()), null));
    }

    @Test
    void sign_requestForAnotherInstance_refused() {
        Server mine = activate("mine", new Server("reg-22", "CS22", "inst-22", OtpPolicy.DEFAULT));
        Server theirs = new Server("reg-23", "CS23", "inst-23", OtpPolicy.DEFAULT);
        String forThem = theirs.signingChallenge("Pay", List.of(), LATER);
        DeviceException e = assertThrows(DeviceException.class, () -> device.sign(forThem, null));
        assertEquals(DeviceException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("for instance inst-23, which is not on this device"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> device.sign(forThem, "mine"));
        assertEquals("This signing request is for instance inst-23, not for profile mine (instance inst-22). Nothing was signed.",
                e.getMessage());
        // Rewriting the iid to ours does not help: the key and AAD differ.
        String rewritten = forThem.replace("iid=inst-23", "iid=inst-22");
        e = assertThrows(DeviceException.class, () -> device.sign(rewritten, null));
        assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
        // Sealed for our iid under another key.
        String wrongKey = theirs.signingChallenge("inst-22", theirs.keys(), "Pay", List.of(), LATER);
        assertThrows(DeviceException.class, () -> device.sign(wrongKey, "mine"));
        assertEquals(mine.iid, store.find("mine").orElseThrow().iid());
    }

    @Test
    void sign_expired_stillShownWithTheExpiry() {
        Server server = activate(null, new Server("reg-24", "CS24", "inst-24", OtpPolicy.DEFAULT));
        Instant past = Instant.parse("2020-01-01T00:00:00Z");
        SignedTransaction signed = device.sign(server.signingChallenge("Old", List.of(), past), null);
        assertTrue(signed.expired(Instant.now()));
        assertEquals(past, signed.expiresAt());
    }

    // ---- profiles ----

    @Test
    void remove_forgetsTheProfileAndItsSecrets() throws Exception {
        Server server = activate("gone", new Server("reg-30", "CS30", "inst-30", OtpPolicy.DEFAULT));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(store.find("gone").orElseThrow().instanceSecret().reveal());
        String text = Files.readString(store.file());
        assertFalse(text.contains(secret), "sealed, not in base64");
        java.util.regex.Matcher sealed = java.util.regex.Pattern.compile("\"instanceSecret\" : \"(v2\\.[^\"]+)\"").matcher(text);
        assertTrue(sealed.find(), text);
        assertTrue(device.remove("gone"));
        assertFalse(device.remove("gone"));
        assertTrue(device.profiles().isEmpty());
        assertFalse(Files.readString(store.file()).contains(sealed.group(1)));
        assertEquals("inst-30", server.iid);
    }
}
