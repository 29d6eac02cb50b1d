package org.countersign.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.DeviceToken;
import org.countersign.protocol.PushDecision;
import org.countersign.protocol.PushResponseSignature;
import org.countersign.protocol.TransactionData;
import org.countersign.protocol.TransactionField;

/**
 * An online profile's side of push approvals (push-service/README.md, "Device protocol"): the
 * channel ({@code GET /api/v1/devices/channel} as a WebSocket), polling ({@code GET
 * /api/v1/devices/me/pending}) and answers, each call with a fresh device token. The signature on an
 * answer is protocol.md's, over the request as received (its challenge, and the dataHash the device
 * computes from the message and fields it shows).
 */
final class PushDevice {

    /** A push request as the device received it. */
    record Request(String requestId, String challenge, String message, List<TransactionField> fields, List<Integer> numberOptions,
                   Instant createdAt, Instant expiresAt) {

        /** protocol.md's dataHash of what the device shows. */
        String dataHash() {
            return new TransactionData(message, fields).dataHash();
        }

        boolean numberMatching() {
            return !numberOptions.isEmpty();
        }

        static Request of(JsonNode json) {
            List<TransactionField> fields = new ArrayList<>();
            for (JsonNode field : json.path("fields")) {
                fields.add(new TransactionField(field.path("name").asText(), field.path("value").asText()));
            }
            List<Integer> numbers = new ArrayList<>();
            for (JsonNode number : json.path("numberOptions")) {
                numbers.add(number.asInt());
            }
            return new Request(json.path("requestId").asText(), json.path("challenge").asText(), json.path("message").asText(),
                    List.copyOf(fields), List.copyOf(numbers), Instant.parse(json.path("createdAt").asText()),
                    Instant.parse(json.path("expiresAt").asText()));
        }
    }

    /** What the server recorded: approved or denied, and for a denial why (denied, wrong-number). */
    record Outcome(String status, String reason) {
    }

    /** One server message on the channel, or its end ({@code type} "closed", with the close code and reason). */
    record Message(String type, JsonNode json) {
    }

    static final String CHANNEL_PATH = "/api/v1/devices/channel";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Device tokens live one minute: each is used at once, for one call. */
    private static final long TOKEN_SECONDS = 60;

    private final Profile profile;
    private final URI base;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /**
     * @param baseUrl the push-service, e.g. {@code http://127.0.0.1:8085}; null for the one the profile's
     *                push channel names
     */
    PushDevice(Profile profile, String baseUrl, Clock clock) {
        this.profile = profile;
        this.base = URI.create(baseUrl != null ? stripSlash(baseUrl) : serviceOf(profile.online().pushChannel()));
        this.clock = clock;
    }

    /** {@code ws://host:port/api/v1/devices/channel} becomes {@code http://host:port}. */
    static String serviceOf(String pushChannel) {
        if (pushChannel == null || !pushChannel.matches("wss?://[^/]+" + CHANNEL_PATH)) {
            throw new DeviceException(DeviceException.Kind.USAGE, "The profile has no push channel of the usual form ("
                    + Display.safe(String.valueOf(pushChannel)) + "): give the push-service with --url http://HOST:PORT.");
        }
        return pushChannel.substring(0, pushChannel.length() - CHANNEL_PATH.length()).replaceFirst("^ws", "http");
    }

    private static String stripSlash(String url) {
        if (!url.matches("https?://[^/?#]+/?")) {
            throw new DeviceException(DeviceException.Kind.USAGE, "--url is the push-service's http(s)://HOST:PORT, not '"
                    + Display.safe(url) + "'.");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    URI base() {
        return base;
    }

    private String bearer() {
        long iat = clock.instant().getEpochSecond();
        return "Bearer " + DeviceToken.sign(profile.online().privateKey(), profile.iid(), DeviceToken.PUSH_AUDIENCE, iat,
                iat + TOKEN_SECONDS, DeviceToken.newJti());
    }

    /** The open requests this device was sent, oldest first, as the channel would send them. */
    List<Request> pending() {
        JsonNode body = call(HttpRequest.newBuilder(base.resolve("/api/v1/devices/me/pending")).GET());
        List<Request> requests = new ArrayList<>();
        for (JsonNode request : body.path("requests")) {
            requests.add(Request.of(request));
        }
        return requests;
    }

    /** Answers by POST; {@code number} only for a request with number matching. */
    Outcome answer(Request request, PushDecision decision, Integer number) {
        JsonNode body = call(HttpRequest.newBuilder(base.resolve("/api/v1/push/requests/" + request.requestId() + "/response"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(responseJson(request, decision, number, false).toString())));
        return new Outcome(body.path("status").asText(), body.path("reason").asText(null));
    }

    /** The answer's JSON: the POST's body, or with {@code channel} the channel's push-response message. */
    ObjectNode responseJson(Request request, PushDecision decision, Integer number, boolean channel) {
        ObjectNode json = JSON.createObjectNode();
        if (channel) {
            json.put("type", "push-response").put("requestId", request.requestId());
        }
        json.put("decision", decision.wire());
        if (number != null) {
            json.put("selectedNumber", number);
        }
        json.put("signature", PushResponseSignature.sign(profile.online().privateKey(), request.requestId(), request.challenge(),
                request.dataHash(), decision, number, profile.iid()));
        return json;
    }

    private JsonNode call(HttpRequest.Builder request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.header("Authorization", bearer()).header("Accept", "application/json").timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.SERVER, "The push-service at " + base + " cannot be reached ("
                    + why(e) + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(DeviceException.Kind.SERVER, "Interrupted.");
        }
        if (response.statusCode() / 100 != 2) {
            throw refused(response.statusCode(), response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.SERVER, "The push-service answered " + response.statusCode()
                    + " with a body that is not JSON.");
        }
    }

    /** What went wrong on the way, in words (no exception names on a person's screen). */
    static String why(Throwable failure) {
        if (failure instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (failure instanceof java.net.http.HttpTimeoutException || failure instanceof java.util.concurrent.TimeoutException) {
            return "timed out";
        }
        if (failure instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        return failure instanceof IOException ? "connection failed" : "unexpected failure";
    }

    static DeviceException refused(int status, byte[] body) {
        String problem = ProblemAnswer.parse(body).map(p -> p.type() + (p.detail().isBlank() ? "" : ": " + p.detail())).orElse("");
        return new DeviceException(DeviceException.Kind.SERVER, "The push-service refused (" + status
                + (problem.isBlank() ? "" : ", " + problem) + ").");
    }

    /** Opens the channel; its messages arrive in {@link Channel#next}, in order. */
    Channel connect() {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + CHANNEL_PATH);
        Channel channel = new Channel();
        try {
            channel.socket = http.newWebSocketBuilder().header("Authorization", bearer()).connectTimeout(TIMEOUT)
                    .buildAsync(uri, channel).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(DeviceException.Kind.SERVER, "Interrupted.");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof java.net.http.WebSocketHandshakeException refused) {
                HttpResponse<?> response = refused.getResponse();
                Object body = response.body();
                throw refused(response.statusCode(), body instanceof byte[] bytes ? bytes
                        : body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8));
            }
            throw new DeviceException(DeviceException.Kind.SERVER, "The push channel at " + uri + " cannot be opened ("
                    + why(cause) + ").");
        }
        return channel;
    }

    /** An open channel. The JDK answers the server's pings; each text message is queued whole. */
    static final class Channel implements WebSocket.Listener, AutoCloseable {

        private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode json = JSON.readTree(text);
                    messages.add(new Message(json.path("type").asText(""), json));
                } catch (IOException e) {
                    messages.add(new Message("unreadable", JSON.createObjectNode().put("text", Display.safe(text))));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            messages.add(new Message("closed", JSON.createObjectNode().put("code", statusCode).put("reason", reason)));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            messages.add(new Message("closed", JSON.createObjectNode().put("code", 1006).put("reason", why(error))));
        }

        /** The next message, or null after {@code timeout}. */
        Message next(Duration timeout) throws InterruptedException {
            return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void send(JsonNode message) {
            socket.sendText(message.toString(), true).join();
        }

        @Override
        public void close() {
            WebSocket open = socket;
            if (open != null && !open.isOutputClosed()) {
                open.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
                        .exceptionally(e -> null).join();
            }
            if (open != null) {
                open.abort();
            }
        }
    }
}
