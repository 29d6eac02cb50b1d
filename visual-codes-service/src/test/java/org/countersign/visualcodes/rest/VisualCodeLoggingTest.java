package org.countersign.visualcodes.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The message can be a secret: no log line, access log included (on in tests), may carry it. */
@QuarkusTest
class VisualCodeLoggingTest {

    private static final String SECRET = "SECRETMARKER7Q2";

    @Test
    void renderAndDecode_successAndFailure_messageInNoLogLine() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String text = record.getMessage();
                if (record.getParameters() != null) {
                    text += " " + java.util.Arrays.toString(record.getParameters());
                }
                if (record.getThrown() != null) {
                    text += " " + record.getThrown();
                }
                lines.add(text);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            String message = "countersign://activate?ap=" + SECRET;
            byte[] png = Fixtures.authorised().queryParam("message", message).queryParam("format", "colour")
                    .when().get(Fixtures.PATH).then().statusCode(200).extract().asByteArray();
            Fixtures.authorised().queryParam("message", message + "x".repeat(1300)).queryParam("ecc", "H")
                    .when().get(Fixtures.PATH).then().statusCode(400);
            Fixtures.authorised().queryParam("message", message).queryParam("size", "huge")
                    .when().get(Fixtures.PATH).then().statusCode(400);
            Fixtures.post(Map.of("message", message, "output", "svg")).when().post(Fixtures.PATH).then().statusCode(200);
            Fixtures.authorised().contentType("image/png").body(png).when().post(Fixtures.PATH + "/decode")
                    .then().statusCode(200);
            // The access log is written after the response; give it a moment to arrive.
            long deadline = System.currentTimeMillis() + 5000;
            while (lines.stream().noneMatch(l -> l.contains("/api/v1/visual-codes/decode"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("GET /api/v1/visual-codes")),
                "the access log is captured, so the check below means something: " + lines);
        assertEquals(List.of(), lines.stream().filter(l -> l.contains(SECRET)).toList(), "log lines carrying the message");
    }
}
