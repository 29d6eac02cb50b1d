package org.countersign.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The device's HTTP calls to the provisioning service: JSON in, JSON out, no bearer token for the
 * activation calls (the proof and the device key authenticate the device), a device token for the
 * device's own calls. Redirects are never followed: the device talks to the URL its enrolment code
 * names and to nothing else. Every failure is a {@link DeviceException} of kind
 * {@link DeviceException.Kind#SERVER} that says what the server answered (status, problem type and
 * detail) or why it could not be reached.
 */
final class ProvisioningClient {

    /** Largest answer read; an activation answer has two certificates and a few ids, about 2 KB. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(DeviceInput.CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /**
     * POSTs {@code body} to {@code url}.
     *
     * @param what what the call does, for messages: "the enrolment", "the confirmation"
     * @return the answer's JSON object, when the status is {@code expectedStatus}
     */
    JsonNode post(String url, ObjectNode body, int expectedStatus, String what) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("A JSON tree always serialises", e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri(url)).timeout(DeviceInput.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        return send(request, expectedStatus, what);
    }

    /** GETs {@code url} with {@code Authorization: Bearer <token>}; the answer's JSON object when 200. */
    JsonNode get(String url, String bearerToken, String what) {
        HttpRequest request = HttpRequest.newBuilder(uri(url)).timeout(DeviceInput.REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json")
                .header("Authorization", "Bearer " + bearerToken).GET().build();
        return send(request, 200, what);
    }

    private JsonNode send(HttpRequest request, int expectedStatus, String what) {
        String where = DeviceInput.printableUrl(request.uri());
        HttpResponse<InputStream> response;
        byte[] answer;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                answer = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.SERVER, "Cannot reach " + where + " for " + what + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : Display.safe(e.getMessage()))
                    + " (is provisioning-service running? ./countersign status)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(DeviceException.Kind.SERVER, "Interrupted while waiting for " + where);
        }
        if (answer.length > MAX_ANSWER_BYTES) {
            throw new DeviceException(DeviceException.Kind.SERVER, where + " answered more than " + MAX_ANSWER_BYTES / 1024
                    + " KiB for " + what);
        }
        int status = response.statusCode();
        if (status != expectedStatus) {
            StringBuilder message = new StringBuilder("The server refused " + what + ": HTTP " + status);
            ProblemAnswer.parse(answer).ifPresentOrElse(problem -> {
                if (!problem.type().isBlank()) {
                    message.append(" ").append(problem.type());
                }
                if (!problem.detail().isBlank()) {
                    message.append(": ").append(problem.detail());
                }
            }, () -> message.append(" from ").append(where));
            if (status >= 300 && status < 400) {
                message.append(" (a redirect, which the device does not follow: is the URL in the enrolment code right?)");
            }
            throw new DeviceException(DeviceException.Kind.SERVER, message.toString());
        }
        try {
            JsonNode node = JSON.readTree(answer);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.SERVER, where + " answered " + what + " with HTTP " + status
                    + ", but not with a JSON object: is this URL a Countersign provisioning service?");
        }
    }

    private static URI uri(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new DeviceException(DeviceException.Kind.REFUSED, "Not a URL the device can call: " + Display.safe(url));
        }
    }
}
