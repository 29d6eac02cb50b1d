package org.countersign.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A device's channel, as a real WebSocket client (the JDK's, which answers pings itself): every text
 * message received is kept, in order, as JSON.
 */
public final class ChannelClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private ChannelClient(WebSocket.Builder builder, URI uri) throws Exception {
        this.socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        received.add(JSON.readTree(text.toString()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        }).get(20, TimeUnit.SECONDS);
    }

    public static ChannelClient connect(int port, String bearer) throws Exception {
        return connect("http://localhost:" + port, bearer);
    }

    /** @param base the service's base URL (http or ws) */
    public static ChannelClient connect(String base, String bearer) throws Exception {
        URI uri = URI.create(base.replaceFirst("^http", "ws") + "/api/v1/devices/channel");
        return new ChannelClient(HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", bearer)
                .connectTimeout(Duration.ofSeconds(10)), uri);
    }

    /** The next message of the type, skipping (and keeping) others; fails after 20 s. */
    public JsonNode next(String type) throws InterruptedException {
        for (JsonNode message : seen) {
            if (type.equals(message.path("type").asText())) {
                seen.remove(message);
                return message;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode message = received.poll(100, TimeUnit.MILLISECONDS);
            if (message == null) {
                continue;
            }
            if (type.equals(message.path("type").asText())) {
                return message;
            }
            seen.add(message);
        }
        throw new AssertionError("No " + type + " message within 20 s; got " + seen);
    }

    /** Every message received so far and not yet taken. */
    public List<JsonNode> drain() {
        received.drainTo(seen);
        List<JsonNode> all = new ArrayList<>(seen);
        seen.clear();
        return all;
    }

    public void send(String json) throws Exception {
        socket.sendText(json, true).get(10, TimeUnit.SECONDS);
    }

    /** The close code the server sent (or -1 for an error), waiting up to 30 s. */
    public int awaitClosed() throws Exception {
        return closed.get(30, TimeUnit.SECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
                closed.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Closed already, or the server is gone: abort below.
            }
        }
        socket.abort();
    }
}
