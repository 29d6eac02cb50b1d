package org.countersign.provisioning.rest;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * registration-service's token-free existence route, and only that, for the tests: 204 for the ids
 * {@link #known}, 404 with its problem for any other. One per test JVM, started on a free port.
 */
final class FakeRegistrationService {

    private static final Pattern EXISTENCE = Pattern.compile("/api/v1/registrations/([^/]+)/existence");
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger ASKED = new AtomicInteger();
    private static HttpServer server;

    private FakeRegistrationService() {
    }

    static synchronized String url() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                Matcher matcher = EXISTENCE.matcher(exchange.getRequestURI().getPath());
                boolean existence = matcher.matches() && exchange.getRequestMethod().equals("GET")
                        && exchange.getRequestHeaders().getFirst("Authorization") == null;
                if (existence) {
                    ASKED.incrementAndGet();
                }
                if (existence && KNOWN.contains(matcher.group(1))) {
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    byte[] body = "{\"type\":\"https://countersign.org/problems/unknown-registration\",\"status\":404}"
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                    exchange.sendResponseHeaders(404, body.length);
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Registration-service has this registration (its event has not reached the provisioning-service). */
    static void known(String registrationId) {
        KNOWN.add(registrationId);
    }

    /** How many times it was asked whether a registration exists. */
    static int asked() {
        return ASKED.get();
    }
}
