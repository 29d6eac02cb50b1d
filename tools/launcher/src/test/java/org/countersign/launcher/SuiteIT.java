package org.countersign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;
import org.countersign.stack.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flows across services, as separate processes on the embedded stack, through the public REST APIs
 * only: what a bank's systems would do.
 */
class SuiteIT {

    private static final String DOMAIN = "bank.example";
    private static final Map<String, String> ENV = new HashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path dataDir;
    private static Process launcher;
    private static String token;

    @BeforeAll
    static void up() throws Exception {
        dataDir = Files.createTempDirectory("countersign-suite-it-");
        ENV.put("COUNTERSIGN_DATA_DIR", dataDir.toString());
        for (String name : List.of("KAFKA", "KAFKA_CONTROLLER", "POSTGRES", "REDIS", "REGISTRATION", "PROVISIONING",
                "VISUAL_CODES", "OTP", "PUSH")) {
            ENV.put("COUNTERSIGN_" + name + "_PORT", Integer.toString(Ports.free()));
        }
        ProcessBuilder builder = command("up").redirectErrorStream(true);
        launcher = builder.start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder output = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            output.append(line).append('\n');
            if (line.startsWith("Logs:")) {
                Thread drain = new Thread(() -> {
                    try {
                        reader.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // The launcher went away.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                token = DevTokens.mint(DevKeys.in(dataDir.resolve("keys")).privateKey(), "bank-app", DOMAIN,
                        List.of("registration", "otp"), Duration.ofMinutes(30));
                return;
            }
        }
        throw new AssertionError("The suite did not come up:\n" + output);
    }

    @AfterAll
    static void down() throws Exception {
        if (launcher != null && launcher.isAlive()) {
            Process down = command("down").redirectErrorStream(true).start();
            down.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            down.waitFor(2, TimeUnit.MINUTES);
        }
    }

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

    private static HttpResponse<String> send(String service, String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ENV.get("COUNTERSIGN_" + service + "_PORT") + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path home() {
        return Path.of(System.getProperty("countersign.home"));
    }

    private static ProcessBuilder command(String command) {
        ProcessBuilder builder = new ProcessBuilder(UpCommand.javaBinary(), "-jar", System.getProperty("launcher.jar"), command);
        builder.environment().putAll(ENV);
        builder.environment().put("COUNTERSIGN_HOME", home().toString());
        return builder;
    }
}
