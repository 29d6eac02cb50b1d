package org.countersign.push;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FCM and APNs cannot be reached from here, so the tests talk to real HTTP servers on loopback that
 * play them: an OAuth token endpoint and FCM HTTP v1 (HTTP/1.1), and APNs (HTTP/2 cleartext with prior
 * knowledge). They record every request as it arrived, and answer by the push token's prefix, so that
 * tests running against one service never share a behaviour:
 * <ul>
 *   <li>{@code ok-…}: accepted;</li>
 *   <li>{@code unregistered-…}: FCM 404 UNREGISTERED, APNs 410 Unregistered;</li>
 *   <li>{@code slow-…}: the first attempt answers after 3 s (past the client's timeout), later ones at once;</li>
 *   <li>{@code error-…}: 503 every time;</li>
 *   <li>{@code flaky-…}: 500 on the first attempt, then accepted.</li>
 * </ul>
 */
public class ProviderFakes implements QuarkusTestResourceLifecycleManager {

    /** One request as the fake received it. */
    public record Received(String provider, String path, Map<String, String> headers, String body, HttpVersion version) {
    }

    public static final String PROJECT = "countersign-test";
    public static final String CLIENT_EMAIL = "push@countersign-test.iam.gserviceaccount.com";
    public static final String APNS_KEY_ID = "ABC123DEFG";
    public static final String APNS_TEAM_ID = "TEAM123456";
    public static final String APNS_TOPIC = "org.countersign.authenticator";

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
    private static final AtomicInteger TOKENS_ISSUED = new AtomicInteger();
    private static KeyPair fcmKey;
    private static KeyPair apnsKey;
    private static int fcmPort;

    private Vertx vertx;

    public static List<Received> received() {
        return List.copyOf(RECEIVED);
    }

    public static List<Received> receivedFor(String pushToken) {
        return RECEIVED.stream().filter(r -> r.path().endsWith(pushToken) || r.body().contains("\"" + pushToken + "\"")).toList();
    }

    public static KeyPair fcmKey() {
        return fcmKey;
    }

    public static KeyPair apnsKey() {
        return apnsKey;
    }

    public static String tokenUrl() {
        return "http://127.0.0.1:" + fcmPort + "/token";
    }

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            fcmKey = rsa.generateKeyPair();
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            apnsKey = ec.generateKeyPair();
            vertx = Vertx.vertx();
            HttpServer fcm = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(this::fcm);
            fcmPort = fcm.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            HttpServer apns = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setHttp2ClearTextEnabled(true))
                    .requestHandler(this::apns);
            int apnsPort = apns.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            Map<String, String> config = new HashMap<>();
            // The key file as Google issues it; its token_uri is Google's, the configured token URL points here.
            config.put("countersign.push.fcm.service-account", "{\"type\":\"service_account\",\"project_id\":\"" + PROJECT
                    + "\",\"private_key_id\":\"fcm-key-1\",\"private_key\":\"" + pem(fcmKey.getPrivate().getEncoded()).replace("\n", "\\n")
                    + "\",\"client_email\":\"" + CLIENT_EMAIL + "\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}");
            config.put("countersign.push.fcm.token-url", tokenUrl());
            config.put("countersign.push.fcm.url", "http://127.0.0.1:" + fcmPort);
            config.put("countersign.push.apns.url", "http://127.0.0.1:" + apnsPort);
            config.put("countersign.push.apns.key", pem(apnsKey.getPrivate().getEncoded()));
            config.put("countersign.push.apns.key-id", APNS_KEY_ID);
            config.put("countersign.push.apns.team-id", APNS_TEAM_ID);
            config.put("countersign.push.apns.topic", APNS_TOPIC);
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("The FCM and APNs fakes did not start", e);
        }
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }

    private void fcm(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            record(request, "fcm", body.toString());
            if (request.path().equals("/token")) {
                TOKENS_ISSUED.incrementAndGet();
                request.response().putHeader("content-type", "application/json")
                        .end("{\"access_token\":\"fake-access-" + TOKENS_ISSUED.get() + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
                return;
            }
            String token = io.vertx.core.json.JsonObject.of().mergeIn(new io.vertx.core.json.JsonObject(body.toString()))
                    .getJsonObject("message", new io.vertx.core.json.JsonObject()).getString("token", "");
            answer(request, token, 200, "{\"name\":\"projects/" + PROJECT + "/messages/1\"}", 404,
                    "{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":\"NOT_FOUND\",\"details\":"
                            + "[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"UNREGISTERED\"}]}}");
        });
    }

    private void apns(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            record(request, "apns", body.toString());
            String token = request.path().substring(request.path().lastIndexOf('/') + 1);
            answer(request, token, 200, "", 410, "{\"reason\":\"Unregistered\",\"timestamp\":1700000000000}");
        });
    }

    private void answer(HttpServerRequest request, String token, int okStatus, String okBody, int goneStatus, String goneBody) {
        int attempt = ATTEMPTS.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
        if (token.startsWith("unregistered-")) {
            request.response().setStatusCode(goneStatus).putHeader("content-type", "application/json").end(goneBody);
        } else if (token.startsWith("error-")) {
            request.response().setStatusCode(503).end();
        } else if (token.startsWith("flaky-") && attempt == 1) {
            request.response().setStatusCode(500).end();
        } else if (token.startsWith("slow-") && attempt == 1) {
            vertx.setTimer(3_000, id -> {
                if (!request.response().closed()) {
                    request.response().setStatusCode(okStatus).end(okBody);
                }
            });
        } else {
            request.response().setStatusCode(okStatus).end(okBody);
        }
    }

    private static void record(HttpServerRequest request, String provider, String body) {
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        RECEIVED.add(new Received(provider, request.path(), headers, body, request.version()));
    }

    public static int attempts(String pushToken) {
        AtomicInteger n = ATTEMPTS.get(pushToken);
        return n == null ? 0 : n.get();
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
