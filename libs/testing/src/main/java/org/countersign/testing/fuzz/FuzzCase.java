package org.countersign.testing.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generated request, built from a valid one by edits, and what is known of it: the edits it
 * carries and whether one of them is certain to make the service refuse it.
 *
 * <p>Values in the path and query are kept as they go on the wire (already percent-encoded, or
 * deliberately not). A JSON body is kept as a tree while edits change its values, and as bytes once an
 * edit has changed it below JSON (truncated, re-encoded, nested past any parser's limit); text that
 * JSON cannot hold as a value (a bare {@code NaN}, 10,000 nested arrays) waits in the tree as a
 * placeholder string and is spliced in when the body is written.
 */
public final class FuzzCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RAW_MARK = "\u0001fuzz-raw-";

    final ApiDescription.Operation operation;
    String method;
    final Map<String, String> pathValues = new LinkedHashMap<>();
    final List<String> query = new ArrayList<>();
    /** Header lines as sent, name and value; a name may repeat. */
    final List<String[]> headers = new ArrayList<>();
    JsonNode json;
    byte[] bytes;
    final Map<String, String> raw = new LinkedHashMap<>();
    boolean chunked;
    String declaredLength;
    boolean writeProbe;
    final List<String> edits = new ArrayList<>();
    private boolean refusedForBody;
    private boolean refusedOtherwise;

    FuzzCase(ApiDescription.Operation operation) {
        this.operation = operation;
        this.method = operation.method();
    }

    public ApiDescription.Operation operation() {
        return operation;
    }

    /** Whether the body goes chunked (Transfer-Encoding) rather than with a Content-Length. */
    public boolean chunked() {
        return chunked && body() != null;
    }

    /** A write sent without an edit certain to be refused: it may be valid, and then it may write. */
    public boolean writeProbe() {
        return writeProbe;
    }

    /** What was done to the valid request, in order. */
    public List<String> edits() {
        return List.copyOf(edits);
    }

    /** Whether one of the edits breaks the documented contract, so that the service must refuse the request. */
    public boolean mustBeRefused(long bodyLimit) {
        byte[] body = body();
        return refusedForBody || refusedOtherwise || (body != null && body.length > bodyLimit);
    }

    void apply(Edit edit) {
        if (edit.replacesBody()) {
            // The earlier edits of the body are gone with it, and so is what they made certain.
            refusedForBody = false;
        }
        edit.change().accept(this);
        edits.add(edit.label() + (edit.refuses() ? " [refused]" : ""));
        if (edit.refuses()) {
            if (edit.stage() == Edit.Stage.REQUEST) {
                refusedOtherwise = true;
            } else {
                refusedForBody = true;
            }
        }
    }

    String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    void setHeader(String name, String value) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        if (value != null) {
            headers.add(new String[] {name, value});
        }
    }

    /** The body as it goes on the wire, or null when the request has none. */
    public byte[] body() {
        if (bytes != null) {
            return bytes;
        }
        if (json == null) {
            return null;
        }
        try {
            String text = JSON.writeValueAsString(json);
            for (Map.Entry<String, String> splice : raw.entrySet()) {
                text = text.replace(JSON.writeValueAsString(splice.getKey()), splice.getValue());
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Turns the body into bytes, so that an edit can change what no JSON tree can hold. */
    byte[] freezeBody() {
        bytes = body();
        return bytes;
    }

    /** A placeholder that becomes {@code text} verbatim in the body. */
    String rawValue(String text) {
        String mark = RAW_MARK + raw.size();
        raw.put(mark, text);
        return mark;
    }

    public String target() {
        String path = operation.path();
        for (Map.Entry<String, String> value : pathValues.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return query.isEmpty() ? path : path + "?" + String.join("&", query);
    }

    /** The request line and headers, without the blank line that ends them (see {@code RawHttp}). */
    public String head() {
        StringBuilder head = new StringBuilder(method).append(' ').append(target()).append(" HTTP/1.1\r\nHost: localhost");
        for (String[] h : headers) {
            head.append("\r\n").append(h[0]).append(": ").append(h[1]);
        }
        byte[] body = body();
        if (chunked && body != null) {
            head.append("\r\nTransfer-Encoding: chunked");
        } else if (declaredLength != null) {
            head.append("\r\nContent-Length: ").append(declaredLength);
        } else if (body != null) {
            head.append("\r\nContent-Length: ").append(body.length);
        }
        return head.append("\r\nConnection: close").toString();
    }

    /** The request as a person would read it: long values cut, bytes that are not printable escaped. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        StringBuilder head = new StringBuilder();
        for (String line : head().split("\r\n")) {
            // A header of 25 KB, or a token, would hide the rest.
            head.append(head.length() == 0 ? "" : "\n    ").append(shorten(line, 160));
        }
        text.append(head);
        byte[] body = body();
        if (body != null) {
            text.append("\n    (").append(body.length).append(" bytes").append(chunked ? ", chunked" : "").append(") ");
            ByteArrayOutputStream shown = new ByteArrayOutputStream();
            for (int i = 0; i < Math.min(body.length, 600); i++) {
                int b = body[i] & 0xff;
                if (b >= 0x20 && b < 0x7f) {
                    shown.write(b);
                } else {
                    shown.writeBytes(String.format("\\x%02x", b).getBytes(StandardCharsets.US_ASCII));
                }
            }
            text.append(shown.toString(StandardCharsets.US_ASCII)).append(body.length > 600 ? "..." : "");
        }
        return text.toString();
    }

    static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max / 2) + "...(" + (text.length() - max) + " more)..." + text.substring(text.length() - max / 2);
    }

    @Override
    public String toString() {
        return operation + (writeProbe ? " (write probe) " : " ") + edits;
    }
}
