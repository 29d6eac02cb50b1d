package org.countersign.push.client;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One APNs notification, raw, over HTTP/2 (TLS with ALPN for https, prior-knowledge h2c for a local
 * http fake). It only classifies answers; retries, the circuit breaker and the provider token are
 * {@link ApnsClient}'s.
 */
class ApnsRestClient {

    private final WebClient client;
    private final String baseUrl;
    private final long timeoutMillis;

    ApnsRestClient(Vertx vertx, String baseUrl, long timeoutMillis) {
        boolean tls = URI.create(baseUrl).getScheme().equals("https");
        WebClientOptions options = new WebClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setSsl(tls).setUseAlpn(tls)
                .setHttp2ClearTextUpgrade(false).setHttp2MaxPoolSize(2).setKeepAlive(true).setUserAgent("countersign-push");
        this.client = WebClient.create(vertx, options);
        this.baseUrl = baseUrl;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * An alert the app's notification service extension turns into its own text ({@code loc-key}),
     * with nothing about the user or the request: the app fetches the request itself.
     */
    Uni<WakeUpOutcome> send(String providerToken, String topic, String deviceToken, long expiresAtEpochSecond) {
        JsonObject body = new JsonObject()
                .put("aps", new JsonObject()
                        .put("alert", new JsonObject().put("loc-key", ApnsClient.ALERT_KEY))
                        .put("sound", "default")
                        .put("mutable-content", 1))
                .put("type", FcmClient.WAKE_TYPE);
        // Encoded, whatever its origin: a token taken from an activation is not checked as hex, and '/', '?' or '#'
        // in it would change which APNs resource is called.
        return client.postAbs(baseUrl + "/3/device/" + URLEncoder.encode(deviceToken, StandardCharsets.UTF_8)).timeout(timeoutMillis)
                .putHeader("authorization", "bearer " + providerToken)
                .putHeader("apns-topic", topic)
                .putHeader("apns-push-type", "alert")
                .putHeader("apns-priority", "10")
                .putHeader("apns-expiration", Long.toString(expiresAtEpochSecond))
                .putHeader("apns-collapse-id", FcmClient.WAKE_TYPE)
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer(body.encode()))
                .onFailure().transform(e -> new RetriableWakeUpException("APNs unreachable: " + e.getClass().getSimpleName()))
                .map(ApnsRestClient::classify);
    }

    /** APNs answers: https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns */
    private static WakeUpOutcome classify(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status == 200) {
            return WakeUpOutcome.SENT;
        }
        String reason = reason(response);
        if (status == 410 || "Unregistered".equals(reason) || "BadDeviceToken".equals(reason)) {
            return WakeUpOutcome.UNREGISTERED;
        }
        if (status == 403 && ("ExpiredProviderToken".equals(reason) || "InvalidProviderToken".equals(reason))) {
            throw new ApnsAuthenticationException();
        }
        if (status == 429 || status >= 500) {
            throw new RetriableWakeUpException("APNs answered " + status + (reason == null ? "" : " " + reason));
        }
        return WakeUpOutcome.REJECTED;
    }

    private static String reason(HttpResponse<Buffer> response) {
        try {
            JsonObject body = response.bodyAsJsonObject();
            return body == null ? null : body.getString("reason");
        } catch (RuntimeException e) {
            return null;
        }
    }

    void close() {
        client.close();
    }

    /** The provider token was refused: sign a new one and try again. */
    static final class ApnsAuthenticationException extends RetriableWakeUpException {
        ApnsAuthenticationException() {
            super("APNs refused the provider token");
        }
    }
}
