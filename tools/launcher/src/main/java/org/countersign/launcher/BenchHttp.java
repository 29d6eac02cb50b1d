package org.countersign.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** The benchmarks' plain HTTP calls for seeding and checks (the load itself goes through {@link KeepAliveClient}). */
final class BenchHttp {

    record Reply(int status, String body) {
    }

    private BenchHttp() {
    }

    static void expect(Reply reply, int status, String what) {
        if (reply.status() != status) {
            throw new IllegalStateException(what + " answered " + reply.status() + ": " + reply.body());
        }
    }

    /** One keep-alive request; HttpURLConnection reuses idle connections to the same server. */
    static Reply send(String method, String url, String auth, String contentType, byte[] body, int timeoutMillis)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(timeoutMillis);
        connection.setRequestProperty("Authorization", auth);
        if (body != null || !method.equals("GET")) {
            body = body == null ? new byte[0] : body;
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            if (contentType != null) {
                connection.setRequestProperty("Content-Type", contentType);
            }
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
