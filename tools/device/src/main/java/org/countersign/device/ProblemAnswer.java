package org.countersign.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A server's {@code application/problem+json} answer (RFC 9457), as the device shows it: the last
 * segment of its {@code type} (the stable slug, e.g. {@code wrong-activation-proof}), its
 * {@code detail} (or {@code title}), and for a validation problem its offending fields. Every text
 * is made safe for the screen ({@link Display#safe}) and shortened.
 *
 * @param type the type's slug, or empty
 * @param detail what went wrong, or empty
 */
record ProblemAnswer(String type, String detail) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 300;

    /** The problem in {@code body}, if it is a JSON object with a detail, a title or a type. */
    static Optional<ProblemAnswer> parse(byte[] body) {
        if (body == null || body.length == 0 || body.length > 64 * 1024 || body[0] != '{') {
            return Optional.empty();
        }
        try {
            JsonNode problem = JSON.readTree(body);
            String type = problem.path("type").asText("");
            String slug = type.substring(type.lastIndexOf('/') + 1);
            String detail = problem.path("detail").asText(problem.path("title").asText(""));
            List<String> fields = new ArrayList<>();
            for (JsonNode error : problem.path("errors")) {
                fields.add(error.path("field").asText("?") + ": " + error.path("message").asText(""));
            }
            if (!fields.isEmpty()) {
                detail = (detail.isBlank() ? "" : detail + " ") + "(" + String.join("; ", fields) + ")";
            }
            if (detail.isBlank() && slug.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new ProblemAnswer(shorten(slug), shorten(detail)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String shorten(String text) {
        String safe = Display.safe(text);
        return safe.length() > MAX_TEXT ? safe.substring(0, MAX_TEXT) + "..." : safe;
    }
}
