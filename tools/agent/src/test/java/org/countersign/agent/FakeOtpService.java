package org.countersign.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.OfflineBundle;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;

/**
 * The otp-service's offline-data API played on loopback with libs/protocol's server side, for the
 * agent's own tests (the system test in tools/launcher runs the agent against the real service). It
 * accepts the PIN followed by the OTP of the current step, issues bundles from the next step, and
 * records usage reports; {@link #refuseNext} makes it answer one problem instead.
 */
final class FakeOtpService implements AutoCloseable {

    static final OtpPolicy POLICY = OtpPolicy.DEFAULT;
    static final String PIN = "04711923";

    final Secret instanceSecret = Secret.random(32);
    final Secret otpKey = InstanceKeys.of(instanceSecret).otp(POLICY);
    final List<List<Long>> reports = new CopyOnWriteArrayList<>();
    volatile long now;
    volatile int iterations = 100_000;
    volatile String agentIdOverride;
    /** Sends bundles that claim 99,999 iterations, which an agent must refuse. */
    volatile boolean weakIterations;
    private volatile String refusal;
    private final HttpServer server;
    private static final ObjectMapper JSON = new ObjectMapper();

    FakeOtpService(long now) throws IOException {
        this.now = now;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/otp/offline-data", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    String otp(long unixSeconds) {
        return Otp.atTime(POLICY, otpKey, unixSeconds);
    }

    /** The next request is answered with this problem+json (status, type slug, extra JSON members). */
    void refuseNext(int status, String type, String extra) {
        refusal = status + "|" + type + "|" + extra;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            answer(exchange);
        } catch (IOException | RuntimeException e) {
            // The JDK server would only close the connection: say why, and answer as a server would.
            e.printStackTrace();
            send(exchange, 500, "application/problem+json", "{\"type\":\"https://countersign.org/problems/internal\"}");
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        String held = refusal;
        if (held != null) {
            refusal = null;
            String[] parts = held.split("\\|", 3);
            send(exchange, Integer.parseInt(parts[0]), "application/problem+json", "{\"type\":\"https://countersign.org/problems/"
                    + parts[1] + "\",\"title\":\"t\",\"status\":" + parts[0] + ",\"detail\":\"refused on purpose\"" + parts[2] + "}");
            return;
        }
        if (exchange.getRequestURI().getPath().endsWith("/usage")) {
            List<Long> steps = new java.util.ArrayList<>();
            body.path("steps").forEach(s -> steps.add(s.asLong()));
            reports.add(steps);
            send(exchange, 200, "application/json", "{\"steps\":" + steps.size() + "}");
            return;
        }
        long step = POLICY.timeStep(now);
        if (!body.path("credential").asText().equals(PIN + otp(now))) {
            send(exchange, 403, "application/problem+json", "{\"type\":\"https://countersign.org/problems/credential-rejected\","
                    + "\"title\":\"The credential was rejected\",\"status\":403,\"detail\":\"rejected\"}");
            return;
        }
        String agentId = agentIdOverride != null ? agentIdOverride : body.path("agentId").asText();
        OfflineBundle bundle = OfflineBundle.issue(body.path("userId").asText(), agentId, "SN-AGENT-1", POLICY, otpKey,
                Secret.copyOf(PIN.getBytes(StandardCharsets.UTF_8)), step + 1, body.path("days").asInt() * 2880, iterations);
        String json = bundle.toJson();
        send(exchange, 200, "application/json", weakIterations ? json.replace("\"iterations\":" + iterations,
                "\"iterations\":99999") : json);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
