package org.countersign.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.OtpVerifier;
import org.countersign.protocol.OtpWindow;
import org.countersign.protocol.TransactionField;
import org.countersign.visualcodes.codec.CodeFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar, as ./countersign device runs it: its own JVM, headless, reading image files. */
class DeviceJarIT {

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("device.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("COUNTERSIGN_DATA_DIR", dir.resolve("data").toString());
        builder.environment().remove("DISPLAY");
        Path outFile = dir.resolve("out.txt");
        Path errFile = dir.resolve("err.txt");
        Process process = builder.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the jar did not finish");
        return new Result(process.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8), Files.readString(errFile, StandardCharsets.UTF_8));
    }

    @Test
    void jar_activatesMakesOtpsAndSigns() throws Exception {
        Result help = run("help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("Usage: ./countersign device"));

        Server server = new Server("reg-it", "CS-IT-1", "inst-it", OtpPolicy.parse("hotp:sha256:8"));
        Path am1 = Server.png(dir, "am1.png", server.activationMessage1("Bank", "bob"), CodeFormat.QR);
        Result scan = run("scan", am1.toString(), "-q");
        assertEquals(0, scan.code(), scan.err());
        Path am2 = Server.png(dir, "am2.png", server.addDevice(scan.out().strip()), CodeFormat.COLOUR);
        Result activate = run("activate", am2.toString(), "-q");
        assertEquals(0, activate.code(), activate.err());
        server.activate(activate.out().strip());

        OtpVerifier verifier = OtpVerifier.of(server.otp, server.keys().otp(server.otp));
        for (long counter = 0; counter < 2; counter++) {
            Result otp = run("otp", "-q");
            assertEquals(0, otp.code(), otp.err());
            assertEquals(counter, verifier.verify(otp.out().strip(), OtpWindow.exactly(counter)));
        }

        Path signing = Server.png(dir, "sign.png", server.signingChallenge("Pay", List.of(new TransactionField("Amount", "1")),
                Instant.parse("2030-01-01T00:00:00Z")), CodeFormat.COLOUR);
        Result sign = run("sign", signing.toString(), "-q");
        assertEquals(0, sign.code(), sign.err());
        server.verifyResponse("chal-1", sign.out().strip());

        Result refused = run("sign", dir.resolve("nothing.png").toString());
        assertEquals(3, refused.code());
        assertEquals("countersign device: No such file: " + dir.resolve("nothing.png") + "\n", refused.err());
    }

    @Test
    void jar_enrollsOnlineOverHttp_andSignsDeviceTokens() throws Exception {
        try (OnlineServer server = new OnlineServer()) {
            Path qr = Server.png(dir, "enrol.png", server.registerOnline("reg-jar", "CS-JAR", OtpPolicy.DEFAULT, "Bank", "bob"),
                    CodeFormat.QR);
            Result enroll = run("enroll", qr.toString(), "--platform", "android", "-q");
            assertEquals(0, enroll.code(), enroll.err());
            String iid = server.registration("reg-jar").iid;
            assertEquals(iid + "\n", enroll.out());
            assertEquals("active", server.registration("reg-jar").state);

            Result jwt = run("jwt");
            assertEquals(0, jwt.code(), jwt.err());
            assertEquals(iid, server.verifyToken(jwt.out().strip(), Instant.now()).instanceId());
            assertEquals(200, server.getMe(jwt.out().strip()));

            Result list = run("list");
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains("CS-JAR               active    online  instance " + iid), list.out());
            String file = Files.readString(dir.resolve("data/device/profiles.json"));
            assertTrue(file.contains("\"privateKey\" : \"v2.device-1."), file);
        }
    }
}
