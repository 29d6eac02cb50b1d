package org.countersign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.countersign.device.DeviceException;
import org.countersign.device.DeviceInput;
import org.countersign.device.DeviceSimulator;
import org.countersign.device.EnrolmentOptions;
import org.countersign.device.ProfileStore;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;
import org.countersign.stack.Ports;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one suite the system tests share: ./countersign up on free ports in a temporary data directory,
 * started by the first test class that needs it and stopped (./countersign down) after the last one, so
 * that the system tests pay for one start on the CI's two cores. LauncherIT, last, takes it down and up
 * again itself. Also the calls a bank's systems make, which the tests use.
 */
final class Suite implements BeforeAllCallback {

    static final String DOMAIN = "bank.example";
    static final String OTHER_DOMAIN = "other.example";
    static final String OTHER_PORTAL_KEY_ID = "countersign-portal-other";
    static final Map<String, String> ENV = new HashMap<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static Path dataDir;
    static String token;
    /** What the first ./countersign up printed, up to its "Logs:" line. */
    static String firstUpOutput;
    /** The running launcher: the first up's, or the one LauncherIT started after its down. */
    static Process launcher;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(Suite.class))
                .computeIfAbsent(Running.class, key -> Running.up(), Running.class);
    }

    /** Brings the suite down, if it still runs, once every test class has run. */
    static final class Running implements AutoCloseable {

        static Running up() {
            try {
                dataDir = Files.createTempDirectory("countersign-suite-it-");
                ENV.put("COUNTERSIGN_DATA_DIR", dataDir.toString());
                for (String name : PORTS) {
                    ENV.put("COUNTERSIGN_" + name + "_PORT", Integer.toString(Ports.free()));
                }
                // The portal serves the tests' bank; PortalIT's second portal serves another tenant, with its own key id.
                ENV.put("COUNTERSIGN_PORTAL_DOMAIN", DOMAIN);
                ENV.put("COUNTERSIGN_WEB_BOUND_KEYS", "countersign-portal@" + DOMAIN + "," + OTHER_PORTAL_KEY_ID + "@" + OTHER_DOMAIN);
                firstUpOutput = Suite.up();
                token = DevTokens.mint(DevKeys.in(dataDir.resolve("keys")).privateKey(), "bank-app", DOMAIN,
                        List.of("registration", "provisioning", "visual-codes", "otp"), Duration.ofMinutes(30));
                return new Running();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws Exception {
            if (launcher.isAlive()) {
                Process down = command("down").redirectErrorStream(true).start();
                down.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                down.waitFor(2, TimeUnit.MINUTES);
            }
            if (launcher.waitFor(30, TimeUnit.SECONDS)) {
                // The stores are nearly all of the directory (about 150 MB a run, left in /tmp by every run
                // before); the logs and the devices' files stay for reading a failed run.
                for (String store : List.of("postgres", "kafka", "redis")) {
                    deleteTree(dataDir.resolve(store));
                }
            }
        }

        private static void deleteTree(Path dir) throws IOException {
            if (Files.exists(dir)) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    /** The parts of the suite that listen, each on the port COUNTERSIGN_<name>_PORT names. */
    static final List<String> PORTS = List.of("KAFKA", "KAFKA_CONTROLLER", "POSTGRES", "REDIS", "REGISTRATION", "PROVISIONING",
            "VISUAL_CODES", "OTP", "PUSH", "PORTAL");

    /** ./countersign up on the suite's ports and data: returns what it printed once it is up, and keeps the launcher. */
    static String up() throws IOException {
        launcher = command("up").redirectErrorStream(true).start();
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
                return output.toString();
            }
        }
        throw new AssertionError("The suite did not come up:\n" + output);
    }

    static int port(String service) {
        return Integer.parseInt(ENV.get("COUNTERSIGN_" + service + "_PORT"));
    }

    static void licence(String serial, String type) throws Exception {
        HttpResponse<String> created = send("REGISTRATION", "POST", "/api/v1/licences", "application/json", "{\"licences\":[{"
                + "\"serialNumber\":\"" + serial + "\",\"authenticatorType\":\"" + type + "\",\"licenceModel\":\"MDL\",\"maxActivations\":1}]}");
        assertEquals(201, created.statusCode(), created.body());
    }

    static JsonNode register(String body) throws Exception {
        HttpResponse<String> registered = send("REGISTRATION", "POST", "/api/v1/users/register", "application/json", body);
        assertEquals(201, registered.statusCode(), registered.body());
        return JSON.readTree(registered.body());
    }

    static int activations(String serial) throws Exception {
        return JSON.readTree(send("REGISTRATION", "GET", "/api/v1/licences/" + serial, null, null).body()).path("activationsUsed").asInt();
    }

    /** Renders a message as a PNG through visual-codes and saves it where the device's camera would see it. */
    static Path image(String message, String format) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port("VISUAL_CODES") + "/api/v1/visual-codes"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("message", message, "format", format,
                        "output", "png")))).build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        Path file = Files.createTempFile(dataDir, format + "-", ".png");
        Files.write(file, response.body());
        return file;
    }

    static java.util.Properties state(Path file) throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void awaitTrue(Check check, String what) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Not within 90 s: " + what);
            }
            Thread.sleep(300);
        }
    }

    static HttpResponse<String> send(String service, String method, String path, String contentType, String body)
            throws Exception {
        return send(token, service, method, path, contentType, body);
    }

    static HttpResponse<String> send(String bearer, String service, String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(service) + path))
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A phone enrolled online for {@code userId} through the public APIs (a licence, the registration, its QR
     * image read as a camera would); the directory of its profiles, for ./countersign device. The registration
     * reaches provisioning through Kafka: until it has, the enrolment is refused as unknown-registration and
     * nothing is used up, so it is tried again.
     */
    static Path phoneEnrolledOnline(String userId, String profile, EnrolmentOptions options) throws Exception {
        String serial = "PH-" + Long.toHexString(System.nanoTime());
        licence(serial, "mobile-app");
        JsonNode registration = register("{\"userId\":\"" + userId + "\",\"serialNumber\":\"" + serial
                + "\",\"activationType\":\"online\"}");
        String enrolment = DeviceInput.read(image(registration.get("activationMessage").asText(), "qr").toString());
        Path phoneData = dataDir.resolve("phone-" + profile);
        DeviceSimulator phone = new DeviceSimulator(new ProfileStore(phoneData.resolve("device/profiles.json")));
        awaitTrue(() -> {
            try {
                phone.enroll(enrolment, profile, options);
                return true;
            } catch (DeviceException e) {
                if (e.getMessage().contains("unknown-registration")) {
                    return false;
                }
                throw e;
            }
        }, "the phone enrols");
        return phoneData;
    }

    /** A bank's application allowed to send pushes and set users' push settings, in the tests' domain. */
    static String pushApp() {
        return DevTokens.mint(DevKeys.in(dataDir.resolve("keys")).privateKey(), "bank-app", DOMAIN, List.of("push", "admin"),
                Duration.ofMinutes(30));
    }

    /** ./countersign device, as a process of its own, on the profiles under {@code data}. */
    static Process device(Path data, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(UpCommand.javaBinary(), "-jar",
                home().resolve("tools/device/target/countersign-device.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("COUNTERSIGN_DATA_DIR", data.toString());
        return builder.start();
    }

    /** Reads what the process prints until a line contains {@code text} (a prompt may end without a newline). */
    static void readUntil(BufferedReader screen, String text, StringBuilder shown) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = screen.read()) != -1) {
            shown.append((char) c);
            if (c == '\n') {
                line.setLength(0);
            } else {
                line.append((char) c);
                if (line.toString().contains(text)) {
                    return;
                }
            }
        }
        throw new AssertionError("The device ended before printing '" + text + "':\n" + shown);
    }

    /** A call with a JSON body (or none) to whatever listens on {@code port}: a service, or a second replica of one. */
    static HttpResponse<String> json(int port, String bearer, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Path home() {
        return Path.of(System.getProperty("countersign.home"));
    }

    static ProcessBuilder command(String command) {
        ProcessBuilder builder = new ProcessBuilder(UpCommand.javaBinary(), "-jar", System.getProperty("launcher.jar"), command);
        builder.environment().putAll(ENV);
        builder.environment().put("COUNTERSIGN_HOME", home().toString());
        return builder;
    }
}
