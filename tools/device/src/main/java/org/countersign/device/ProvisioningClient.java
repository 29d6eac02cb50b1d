package org.countersign.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;

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

    private final DeviceTransport transport;

    ProvisioningClient(DeviceTransport transport) {
        this.transport = transport;
    }

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
        return send(uri(url), null, json, expectedStatus, what);
    }

    /** GETs {@code url} with {@code Authorization: Bearer <token>}; the answer's JSON object when 200. */
    JsonNode get(String url, String bearerToken, String what) {
        return send(uri(url), bearerToken, null, 200, what);
    }

    private JsonNode send(URI uri, String bearerToken, byte[] json, int expectedStatus, String what) {
        String where = DeviceInput.printableUrl(uri);
        DeviceTransport.Answer response;
        byte[] answer;
        try {
            response = transport.exchange(uri, bearerToken, json, MAX_ANSWER_BYTES);
            answer = response.body();
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
        int status = response.status();
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
