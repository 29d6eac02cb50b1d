package org.countersign.launcher;

import static org.countersign.launcher.OtpBenchmark.CONNECTIONS;
import static org.countersign.launcher.OtpTokens.CREDENTIALS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The otp benchmark's load: one verification with the next code of the next token of this thread,
 * over this thread's own keep-alive connection ({@link KeepAliveClient}). Each thread owns the tokens
 * i with i % CONNECTIONS == its slot, so no two requests ever race for one counter; a counter is spent
 * whatever the answer, and HOTP's look-ahead absorbs a lost one. Closing it closes the connections.
 */
final class OtpVerifier implements Callable<Boolean>, AutoCloseable {

    private static final String VERIFY_PATH = "/api/v1/otp/verify";

    private final int port;
    private final String auth;
    private final OtpTokens tokens;
    private final AtomicInteger slots = new AtomicInteger();
    private final List<KeepAliveClient> clients = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<int[]> slot = ThreadLocal.withInitial(() -> new int[] {slots.getAndIncrement() % CONNECTIONS, 0});
    private final ThreadLocal<KeepAliveClient> client;

    OtpVerifier(int port, String auth, OtpTokens tokens) {
        this.port = port;
        this.auth = auth;
        this.tokens = tokens;
        this.client = ThreadLocal.withInitial(() -> {
            KeepAliveClient c = new KeepAliveClient("127.0.0.1", this.port);
            clients.add(c);
            return c;
        });
    }

    /** The body of POST /api/v1/otp/verify. */
    static byte[] body(String user, String code) {
        return ("{\"userId\":\"" + user + "\",\"credential\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Boolean call() throws IOException {
        int[] s = slot.get();
        int i = s[0] + CONNECTIONS * s[1];
        s[1] = (s[1] + 1) % (CREDENTIALS / CONNECTIONS);
        String code = tokens.code(i, tokens.next.getAndIncrement(i));
        KeepAliveClient.Reply reply = client.get().postJson(VERIFY_PATH, auth, body(tokens.user(i), code));
        return reply.status() == 200 && reply.body().contains("\"accepted\"");
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(KeepAliveClient::close);
        }
    }
}
