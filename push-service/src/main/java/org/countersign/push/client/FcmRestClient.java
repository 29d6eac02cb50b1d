package org.countersign.push.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The two calls of FCM HTTP v1, raw: an OAuth access token for a signed assertion, and one message.
 * It only classifies answers; retries, the circuit breaker and the token cache are {@link FcmClient}'s.
 */
class FcmRestClient {

    /** An OAuth access token and how many seconds it lasts. */
    record AccessToken(String value, long expiresInSeconds) {
        @Override
        public String toString() {
            return "AccessToken[" + expiresInSeconds + " s]";
        }
    }

    private final WebClient client;
    private final ObjectMapper mapper;
    private final long timeoutMillis;

    FcmRestClient(Vertx vertx, ObjectMapper mapper, long timeoutMillis) {
        this.client = WebClient.create(vertx, new WebClientOptions().setMaxPoolSize(50).setKeepAlive(true)
                .setUserAgent("countersign-push"));
        this.mapper = mapper;
        this.timeoutMillis = timeoutMillis;
    }

    /** RFC 7523: a JWT bearer assertion for an access token. */
    Uni<AccessToken> accessToken(String tokenUrl, String assertion) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .add("assertion", assertion);
        return client.postAbs(tokenUrl).timeout(timeoutMillis).sendForm(form)
                .onFailure().transform(e -> new RetriableWakeUpException("token endpoint unreachable: " + e.getClass().getSimpleName()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new RetriableWakeUpException("token endpoint answered " + response.statusCode());
                    }
                    JsonObject body = response.bodyAsJsonObject();
                    String token = body == null ? null : body.getString("access_token");
                    if (token == null || token.isBlank()) {
                        throw new RetriableWakeUpException("token endpoint sent no access_token");
                    }
                    return new AccessToken(token, body.getLong("expires_in", 3600L));
                });
    }

    /** One data message to one device: its token and how long FCM may hold it; nothing about the user or the request. */
    Uni<WakeUpOutcome> send(String fcmUrl, String projectId, String accessToken, String pushToken, long ttlSeconds) {
        JsonObject message = new JsonObject()
                .put("message", new JsonObject()
                        .put("token", pushToken)
                        .put("data", new JsonObject().put("type", FcmClient.WAKE_TYPE))
                        .put("android", new JsonObject()
                                .put("priority", "HIGH")
                                .put("ttl", ttlSeconds + "s")
                                .put("collapse_key", FcmClient.WAKE_TYPE)));
        String url = fcmUrl + "/v1/projects/" + URLEncoder.encode(projectId, StandardCharsets.UTF_8) + "/messages:send";
        return client.postAbs(url).timeout(timeoutMillis)
                .putHeader("Authorization", "Bearer " + accessToken)
                .putHeader("Content-Type", "application/json; charset=UTF-8")
                .sendBuffer(Buffer.buffer(message.encode()))
                .onFailure().transform(e -> new RetriableWakeUpException("FCM unreachable: " + e.getClass().getSimpleName()))
                .map(this::classify);
    }

    /** FCM HTTP v1 errors: https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode */
    private WakeUpOutcome classify(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status == 200) {
            return WakeUpOutcome.SENT;
        }
        String errorCode = errorCode(response);
        if (status == 404 || "UNREGISTERED".equals(errorCode)) {
            return WakeUpOutcome.UNREGISTERED;
        }
        if (status == 401) {
            throw new FcmAuthenticationException();
        }
        if (status == 429 || status >= 500) {
            throw new RetriableWakeUpException("FCM answered " + status + (errorCode == null ? "" : " " + errorCode));
        }
        return WakeUpOutcome.REJECTED;
    }

    private String errorCode(HttpResponse<Buffer> response) {
        try {
            JsonNode details = mapper.readTree(response.bodyAsString()).path("error").path("details");
            for (JsonNode detail : details) {
                if (detail.path("errorCode").isTextual()) {
                    return detail.path("errorCode").asText();
                }
            }
        } catch (Exception e) {
            // No JSON body: the status says enough.
        }
        return null;
    }

    void close() {
        client.close();
    }

    /** The access token was refused (expired or revoked): fetch a new one and try again. */
    static final class FcmAuthenticationException extends RetriableWakeUpException {
        FcmAuthenticationException() {
            super("FCM refused the access token");
        }
    }
}
