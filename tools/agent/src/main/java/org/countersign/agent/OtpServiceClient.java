package org.countersign.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The otp-service's offline-data API, as an agent calls it: fetch a bundle, report used steps. A
 * logon agent would reach it through the bank's login system; here it carries a bearer token with
 * the otp scope. Every failure is an {@link AgentException} that quotes the problem's type and detail,
 * never the request.
 */
public final class OtpServiceClient {

    /** A refusal by the server: the problem type's last segment (e.g. {@code offline-data-refresh-too-soon}) and its detail. */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String type;
        private final Instant nextRefreshAt;

        Refused(int status, String type, String detail, Instant nextRefreshAt) {
            super(detail, null, false, false);
            this.status = status;
            this.type = type;
            this.nextRefreshAt = nextRefreshAt;
        }

        public int status() {
            return status;
        }

        public String type() {
            return type;
        }

        /** For {@code offline-data-refresh-too-soon}: when the next refresh is allowed. */
        public Instant nextRefreshAt() {
            return nextRefreshAt;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param baseUrl the otp-service, e.g. http://localhost:8084 */
    public OtpServiceClient(URI baseUrl, String token) {
        String text = Objects.requireNonNull(baseUrl, "baseUrl").toString();
        this.baseUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = token;
    }

    /** POST /api/v1/otp/offline-data: the bundle's JSON text, as received. */
    public String fetch(String userId, char[] typed, String agentId, int days, String serialNumber) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        body.put("credential", new String(typed));
        body.put("agentId", agentId);
        body.put("days", days);
        if (serialNumber != null) {
            body.put("serialNumber", serialNumber);
        }
        return send("POST", "/api/v1/otp/offline-data", body);
    }

    /** POST /api/v1/otp/offline-data/usage. */
    public void report(String userId, String agentId, List<Long> steps) {
        send("POST", "/api/v1/otp/offline-data/usage", Map.of("userId", userId, "agentId", agentId, "steps", steps));
    }

    /** DELETE /api/v1/otp/offline-data/{agentId}?userId=. */
    public void revoke(String userId, String agentId) {
        send("DELETE", "/api/v1/otp/offline-data/" + agentId + "?userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8),
                null);
    }

    private String send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Accept", "application/json, application/problem+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        byte[] json = null;
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                json = JSON.writeValueAsBytes(body);
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(json));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 == 2) {
                return response.body();
            }
            throw refused(response);
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.SERVER, "Cannot reach the otp-service at " + baseUrl + " ("
                    + e.getClass().getSimpleName() + "); connect, or try again later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.Kind.SERVER, "Interrupted");
        } finally {
            // The body held the PIN+OTP; the publisher reads the array itself, so it is wiped only once sent.
            if (json != null) {
                java.util.Arrays.fill(json, (byte) 0);
            }
        }
    }

    private static Refused refused(HttpResponse<String> response) {
        String type = "http-" + response.statusCode();
        String detail = "HTTP " + response.statusCode();
        Instant next = null;
        try {
            JsonNode problem = JSON.readTree(response.body());
            String uri = problem.path("type").asText("");
            type = uri.isEmpty() ? type : uri.substring(uri.lastIndexOf('/') + 1);
            detail = problem.path("detail").asText(problem.path("title").asText(detail));
            if (problem.hasNonNull("nextRefreshAt")) {
                next = Instant.parse(problem.get("nextRefreshAt").asText());
            }
        } catch (IOException | RuntimeException e) {
            // Not problem+json: the status alone says it.
        }
        return new Refused(response.statusCode(), type, detail, next);
    }

    @Override
    public String toString() {
        return "OtpServiceClient[" + baseUrl + "]";
    }
}
