package org.countersign.push.service;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

/**
 * One device's open channel on this replica. Kept small (a benchmark holds 50,000): the device's
 * identity, the socket, and two clocks for the heartbeat.
 */
public final class ChannelConnection {

    private static final Logger LOG = Logger.getLogger(ChannelConnection.class);
    private static final Buffer PING = Buffer.buffer("cs");

    private final String instanceId;
    private final String domain;
    private final String userId;
    private final String connectionId;
    private final WebSocketConnection socket;
    private volatile long lastSeenMillis;
    private volatile long lastPingMillis;
    private volatile String closeReason;

    public ChannelConnection(String instanceId, String domain, String userId, String connectionId, WebSocketConnection socket,
                             long nowMillis) {
        this.instanceId = instanceId;
        this.domain = domain;
        this.userId = userId;
        this.connectionId = connectionId;
        this.socket = socket;
        this.lastSeenMillis = nowMillis;
        this.lastPingMillis = nowMillis;
    }

    public String instanceId() {
        return instanceId;
    }

    public String domain() {
        return domain;
    }

    public String userId() {
        return userId;
    }

    public String connectionId() {
        return connectionId;
    }

    /** The key of the user's connections: domain and user id. */
    public String userKey() {
        return userKey(domain, userId);
    }

    public static String userKey(String domain, String userId) {
        return domain + "|" + userId;
    }

    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    /** A sign of life: a message or a pong. */
    public void seen(long nowMillis) {
        lastSeenMillis = nowMillis;
    }

    public long lastPingMillis() {
        return lastPingMillis;
    }

    public void ping(long nowMillis) {
        lastPingMillis = nowMillis;
        socket.sendPing(PING).subscribe().with(ok -> { }, e -> LOG.debugf("Ping to %s failed: %s", instanceId, e.toString()));
    }

    /** Sends one message; a failure (the socket closing under it) is logged and left to reconnection and polling. */
    public void send(String json) {
        socket.sendText(json).subscribe().with(ok -> { }, e -> LOG.debugf("Send to %s failed: %s", instanceId, e.toString()));
    }

    /** Why the server closed it (a DeviceDisconnected reason), or null when the device or the network did. */
    public String closeReason() {
        return closeReason;
    }

    public void close(String reason, int code, String message) {
        closeReason = reason;
        socket.close(new CloseReason(code, message)).subscribe().with(ok -> { },
                e -> LOG.debugf("Close of %s failed: %s", instanceId, e.toString()));
    }

    public boolean isOpen() {
        return socket.isOpen();
    }
}
