package org.countersign.device;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * How the device's HTTP calls reach the server: one request, its status and body. The device's own
 * rules (what it sends, what it accepts, what it says when refused) stay in {@link ProvisioningClient};
 * a caller that plays many devices at once (the activation benchmark) passes a lighter transport
 * than the JDK's client, whose cost per request would be counted on the machine under test.
 */
public interface DeviceTransport {

    /** An answer: the HTTP status and up to {@code maxBytes + 1} bytes of the body. */
    record Answer(int status, byte[] body) {
    }

    /**
     * Sends one request and reads its answer.
     *
     * @param bearerToken null for none
     * @param jsonBody null for a GET
     * @param maxBytes the most of the body the caller reads; a transport may stop after one byte more
     * @throws IOException when the server cannot be reached or the exchange breaks
     */
    Answer exchange(URI uri, String bearerToken, byte[] jsonBody, int maxBytes) throws IOException, InterruptedException;

    /** The JDK's HTTP client, redirects never followed: the device talks only to the URL its enrolment code names. */
    static DeviceTransport jdk() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(DeviceInput.CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return (uri, bearerToken, jsonBody, maxBytes) -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(DeviceInput.REQUEST_TIMEOUT)
                    .header("Accept", "application/json, application/problem+json");
            if (bearerToken != null) {
                request.header("Authorization", "Bearer " + bearerToken);
            }
            if (jsonBody != null) {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(jsonBody));
            } else {
                request.GET();
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                return new Answer(response.statusCode(), in.readNBytes(maxBytes + 1));
            }
        };
    }
}
