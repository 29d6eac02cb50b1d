package org.countersign.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * FCM cannot be reached from here: a real HTTP server on loopback plays its OAuth token endpoint and
 * HTTP v1 send endpoint, accepts every message and keeps each body as it arrived, so that a test can
 * read what a wake-up told Google.
 */
final class FcmFake implements AutoCloseable {

    static final String PROJECT = "countersign-suite";

    private final HttpServer server;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final String serviceAccount;

    FcmFake() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        // The key file as Google issues it; its token_uri is Google's, the configured token URL points here.
        serviceAccount = "{\"type\":\"service_account\",\"project_id\":\"" + PROJECT + "\",\"private_key_id\":\"suite-1\","
                + "\"private_key\":\"" + pem.replace("\n", "\\n") + "\",\"client_email\":\"push@" + PROJECT
                + ".iam.gserviceaccount.com\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}";
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> answer(exchange,
                "{\"access_token\":\"fake-access\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"));
        server.createContext("/v1/projects/" + PROJECT + "/messages:send", exchange -> {
            messages.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, "{\"name\":\"projects/" + PROJECT + "/messages/" + messages.size() + "\"}");
        });
        server.start();
    }

    /** The push-service's configuration that sends its FCM traffic here, as environment variables. */
    Map<String, String> environment() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("COUNTERSIGN_PUSH_FCM_SERVICE_ACCOUNT", serviceAccount,
                "COUNTERSIGN_PUSH_FCM_TOKEN_URL", base + "/token",
                "COUNTERSIGN_PUSH_FCM_URL", base);
    }

    /** The bodies of the messages sent to {@code pushToken}, in the order they came. */
    List<String> messagesTo(String pushToken) {
        return messages.stream().filter(body -> body.contains("\"" + pushToken + "\"")).toList();
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
