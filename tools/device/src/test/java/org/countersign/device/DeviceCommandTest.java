package org.countersign.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.OtpVerifier;
import org.countersign.protocol.OtpWindow;
import org.countersign.protocol.TransactionField;
import org.countersign.visualcodes.codec.CodeFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command, in process: what a person sees, and the exit code of every kind of failure. */
class DeviceCommandTest {

    @TempDir
    Path dir;
    private Map<String, String> env;
    private String out;
    private String err;

    @BeforeEach
    void setUp() {
        env = Map.of("COUNTERSIGN_DATA_DIR", dir.resolve("data").toString());
    }

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = DeviceCommand.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8), env);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace or exception name: " + err);
        return rc;
    }

    @Test
    void wholeFlow_scanActivateOtpSignListRemove() {
        Server server = new Server("reg-1", "CS0000001", "inst-1", OtpPolicy.DEFAULT);
        Path am1 = Server.png(dir, "am1.png", server.activationMessage1("Example Bank", "alice@example.com"), CodeFormat.QR);
        assertEquals(0, run("scan", am1.toString()));
        assertTrue(out.contains("Issuer:       Example Bank"), out);
        assertTrue(out.contains("Account:      alice@example.com"), out);
        assertTrue(out.contains("Profile:      CS0000001 (waiting for activation message 2)"), out);
        Matcher dc = Pattern.compile("Device code:  (\\d{4} \\d{4} \\d{4} \\d{2})").matcher(out);
        assertTrue(dc.find(), out);

        Path am2 = Server.png(dir, "am2.png", server.addDevice(dc.group(1)), CodeFormat.COLOUR);
        assertEquals(0, run("activate", am2.toString(), "--quiet"));
        String sig = out.strip();
        assertTrue(sig.matches("\\d{8}"), out);
        server.activate(sig);
        assertEquals(0, run("activate", am2.toString()));
        assertTrue(out.contains("Profile CS0000001 is already active: instance inst-1, OTPs totp:sha1:6:30."), out);
        assertTrue(out.contains("Signature:    " + sig), out);

        assertEquals(0, run("otp", "-q"));
        String code = out.strip();
        OtpVerifier verifier = OtpVerifier.of(OtpPolicy.DEFAULT, server.keys().otp(OtpPolicy.DEFAULT));
        long step = OtpPolicy.DEFAULT.timeStep(Instant.now().getEpochSecond());
        verifier.verify(code, OtpWindow.around(step, 1, 1));
        assertEquals(0, run("otp", "--profile", "CS0000001"));
        assertTrue(out.matches("OTP: \\d{6} {3}\\(profile CS0000001, totp:sha1:6:30, valid for \\d+ more seconds\\)\\R"), out);

        String request = server.signingChallenge("Approve the payment\nto ACME", List.of(new TransactionField("Amount", "EUR 10.00"),
                new TransactionField("IBAN", "DE89 3704 0044 0532 0130 00")), Instant.parse("2030-01-01T00:00:00Z"));
        Path signing = Server.png(dir, "sign.png", request, CodeFormat.COLOUR);
        assertEquals(0, run("sign", signing.toString()));
        assertTrue(out.contains("Message:\n  Approve the payment\n  to ACME\n"), out);
        assertTrue(out.contains("Fields:\n  Amount: EUR 10.00\n  IBAN:   DE89 3704 0044 0532 0130 00\n"), out);
        assertTrue(out.contains("Expires:      2030-01-01T00:00:00Z\n"), out);
        assertTrue(out.contains("Data hash:    " + server.dataHash("chal-1")), out);
        Matcher r = Pattern.compile("Response:     (\\d{8})").matcher(out);
        assertTrue(r.find(), out);
        server.verifyResponse("chal-1", r.group(1));
        assertEquals(0, run("sign", request, "-q"));
        assertEquals(r.group(1), out.strip());

        assertEquals(0, run("list"));
        assertTrue(out.contains("CS0000001            active    offline instance inst-1, totp:sha1:6:30, serial CS0000001, "
                + "Example Bank / alice@example.com"), out);
        assertEquals(0, run("remove", "CS0000001"));
        assertEquals("Removed profile CS0000001 and its secrets.\n", out);
        assertEquals(0, run("list"));
        assertTrue(out.startsWith("No profiles yet"), out);
    }

    @Test
    void online_enrollMigrateJwtList_asAPersonSeesThem() throws Exception {
        try (OnlineServer server = new OnlineServer()) {
            Path qr = Server.png(dir, "enrol.png", server.registerOnline("reg-o1", "CS-O1", OtpPolicy.DEFAULT, "Example Bank",
                    "alice@example.com"), CodeFormat.QR);
            assertEquals(0, run("enroll", qr.toString(), "--platform", "android", "--push-token", "tok", "--device-name",
                    "Pixel", "--biometric"));
            String iid = server.registration("reg-o1").iid;
            Matcher shown = Pattern.compile("""
                    Issuer:       Example Bank
                    Account:      alice@example.com
                    Serial:       CS-O1   Registration: reg-o1
                    Instance:     (\\S+)   OTPs totp:sha1:6:30
                    Certificate:  serial ([0-9a-f]+), valid until (\\S+)
                    Push channel: ws://127.0.0.1:1/api/v1/devices/channel
                    Profile:      CS-O1 \\(online, platform android\\)
                    Activated.

                    OTPs: ./countersign device otp   Device token: ./countersign device jwt
                    """).matcher(out);
            assertTrue(shown.matches(), out);
            assertEquals(iid, shown.group(1));
            assertEquals("Pixel", server.registration("reg-o1").request.path("deviceName").asText());

            assertEquals(0, run("jwt"));
            String token = out.strip();
            assertEquals(iid, server.verifyToken(token, Instant.now()).instanceId());
            assertEquals(0, run("jwt", "--ttl", "30", "--audience=countersign-push", "--profile", "CS-O1"));
            assertEquals(30, server.verifyToken(out.strip(), Instant.now()).expiresAt()
                    - server.verifyToken(out.strip(), Instant.now()).issuedAt());
            assertEquals(0, run("otp", "-q"));
            assertTrue(out.strip().matches("\\d{6}"), out);

            // An offline device moved online: -q prints the instance id only.
            Server offline = new Server("reg-o2", "CS-O2", "inst-o2", OtpPolicy.parse("hotp:sha1:6"));
            assertEquals(0, run("scan", offline.activationMessage1(null, null), "-q"));
            assertEquals(0, run("activate", offline.addDevice(out.strip()), "-q"));
            assertEquals(2, run("jwt", "--profile", "CS-O2"));
            assertTrue(err.startsWith("countersign device: Profile CS-O2 is offline: it has no device key."), err);
            assertEquals(0, run("migrate", server.registerMigration("reg-o3", offline, null, null), "-q"));
            assertEquals("inst-o2\n", out);

            assertEquals(0, run("list"));
            assertTrue(out.contains("  CS-O1                active    online  instance " + iid + ", totp:sha1:6:30, serial CS-O1, "
                    + "platform android, certificate until "), out);
            assertTrue(out.contains("  CS-O2                active    online  instance inst-o2, hotp:sha1:6 (next counter 0), "
                    + "serial CS-O2, platform other, certificate until "), out);

            // The server's refusal: its problem type and detail, one line, exit code 5.
            String uri = server.registerOnline("reg-o4", "CS-O4", OtpPolicy.DEFAULT, null, null);
            assertEquals(5, run("enroll", uri.replaceFirst("ap=[A-Z2-7]+", "ap=" + "B".repeat(32))));
            assertEquals("countersign device: The server refused the enrolment: HTTP 422 wrong-activation-proof: "
                    + "The enrolment proof is wrong (attempts left: 4)\n", err);
            // The device's refusal of an answer: exit code 1.
            server.misbehave(OnlineServer.Misbehaviour.ANOTHER_CA);
            assertEquals(1, run("enroll", uri));
            assertTrue(err.startsWith("countersign device: The device refuses the server's answer: the certificate does not "
                    + "chain to the caCertificate sent with it"), err);
        }
    }

    @Test
    void online_optionsChecked() {
        assertEquals(2, run("enroll", "countersign://enroll?v=1", "--platform", "windows"));
        assertEquals("countersign device: --platform is one of android, ios, web, other, not 'windows'.\n", err);
        assertEquals(2, run("otp", "--ttl", "30"));
        assertTrue(err.startsWith("countersign device: --ttl is not an option of otp."), err);
        assertEquals(2, run("jwt", "--biometric"));
        assertEquals(2, run("jwt", "--ttl", "soon"));
        assertTrue(err.startsWith("countersign device: --ttl is a number of seconds, 1 to 300, not 'soon'."), err);
        assertEquals(2, run("jwt", "--ttl", "1", "--ttl", "2"));
        assertEquals(2, run("jwt"));
        assertEquals("countersign device: No online profile on this device: enrol one with enroll, or move an offline one "
                + "online with migrate.\n", err);
        assertEquals(1, run("enroll", "countersign://enroll?v=1&url=http%3A%2F%2Fx"));
        assertTrue(err.startsWith("countersign device: The online enrolment code is not well formed"), err);
    }

    @Test
    void exitCodes_oneLineOnStderrEach() throws Exception {
        assertEquals(0, run());
        assertTrue(out.startsWith("Usage: ./countersign device"), out);
        assertEquals(0, run("sign", "--help"));
        assertTrue(out.contains("Exit codes"), out);

        assertEquals(2, run("frobnicate"));
        assertEquals("countersign device: Unknown command 'frobnicate'. Run './countersign device help' for the commands.\n", err);
        assertEquals(2, run("scan"));
        assertTrue(err.startsWith("countersign device: Usage: ./countersign device scan <image|url|uri>\n"), err);
        assertEquals(2, run("scan", "a", "b"));
        assertEquals(2, run("otp", "--profile"));
        assertEquals(2, run("otp", "--profile", "bad name"));
        assertEquals(2, run("otp", "--bogus"));
        assertEquals(2, run("otp", "--token", " "));
        assertEquals(2, run("otp"));
        assertEquals("countersign device: No active profile to make an OTP with: activate one first (scan, then activate).\n", err);
        assertEquals(2, run("remove", "ghost"));

        assertEquals(3, run("scan", dir.resolve("missing.png").toString()));
        assertEquals("countersign device: No such file: " + dir.resolve("missing.png") + "\n", err);

        Server server = new Server("reg-2", "CS2", "inst-2", OtpPolicy.DEFAULT);
        assertEquals(1, run("activate", server.activationMessage1(null, null)));
        assertEquals("countersign device: This is an activation message 1, not an activation message 2. Use scan for it.\n", err);
        assertEquals(1, run("sign", "countersign://sign?v=1&iid=i&cid=c&n=AAAAAAAAAAAAAAAA&c=short"));

        Files.writeString(dir.resolve("data/device/profiles.json"), "{oops");
        assertEquals(4, run("list"));
        assertTrue(err.contains("is damaged"), err);
    }

    @Test
    void untrustedText_cannotHideOrRewriteTheScreen() {
        Server server = new Server("reg-3", "CS3", "inst-3", OtpPolicy.DEFAULT);
        assertEquals(0, run("scan", server.activationMessage1("Bank\u001b[2J\u202eevil", "a\tb"), "--profile", "p"));
        assertTrue(out.contains("Issuer:       Bank<U+001B>[2J<U+202E>evil"), out);
        assertTrue(out.contains("Account:      a<U+0009>b"), out);
        String dc = out.replaceAll("(?s).*Device code:  ([0-9 ]{17}).*", "$1");
        assertEquals(0, run("activate", server.addDevice(dc), "-q", "--profile=p"));
        String request = server.signingChallenge("Pay\r100\u200b EUR", List.of(new TransactionField("To\u202e", "x\u2028y")),
                Instant.parse("2020-01-01T00:00:00Z"));
        assertEquals(0, run("sign", request));
        assertTrue(out.contains("  Pay<U+000D>100<U+200B> EUR\n"), out);
        assertTrue(out.contains("  To<U+202E>: x<U+2028>y\n"), out);
        assertTrue(out.contains("(EXPIRED: the server will refuse the response)"), out);
    }
}
