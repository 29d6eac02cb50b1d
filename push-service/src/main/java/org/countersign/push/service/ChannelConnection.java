package org.countersign.push.service;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersign.events.payload.DeviceDisconnected;
import org.jboss.logging.Logger;

/**
 * One device's open channel on this replica. Kept small (a benchmark holds 50,000): the device's
 * identity, the socket, two clocks for the heartbeat, and the two bounds that keep one device from
 * exhausting the replica (messages per second in, sends not yet written out).
 */
public final class ChannelConnection {

    private static final Logger LOG = Logger.getLogger(ChannelConnection.class);
    private static final Buffer PING = Buffer.buffer("cs");
    /** RFC 6455's close code for a message that violates the server's policy. */
    public static final int POLICY_VIOLATION = 1008;

    private final String instanceId;
    private final String domain;
    private final String userId;
    private final String connectionId;
    private final WebSocketConnection socket;
    private volatile long lastSeenMillis;
    private volatile long lastPingMillis;
    private volatile String closeReason;
    private final int maxMessagesPerSecond;
    private final int maxSendsInFlight;
    private final AtomicInteger sendsInFlight = new AtomicInteger();
    private final AtomicBoolean violated = new AtomicBoolean();
    // The device's messages arrive one at a time (the endpoint handles them serially); guarded by this anyway.
    private long budgetSecond = Long.MIN_VALUE;
    private int budgetUsed;

    public ChannelConnection(String instanceId, String domain, String userId, String connectionId, WebSocketConnection socket,
                             long nowMillis, int maxMessagesPerSecond, int maxSendsInFlight) {
        this.maxMessagesPerSecond = maxMessagesPerSecond;
        this.maxSendsInFlight = maxSendsInFlight;
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

    /**
     * Counts one message from the device against its budget of the current second (by the injected clock).
     * Over budget, the channel is closed with 1008 and false is returned: the caller drops the message.
     */
    public boolean withinBudget(long nowMillis) {
        if (violated.get()) {
            return false;
        }
        boolean within;
        synchronized (this) {
            long second = Math.floorDiv(nowMillis, 1000);
            if (second != budgetSecond) {
                budgetSecond = second;
                budgetUsed = 0;
            }
            within = ++budgetUsed <= maxMessagesPerSecond;
        }
        if (!within) {
            violatePolicy("more than " + maxMessagesPerSecond + " messages in a second");
        }
        return within;
    }

    /** Whether the channel was closed for a policy violation: whatever the device sent before is dropped. */
    public boolean violated() {
        return violated.get();
    }

    /**
     * Sends one message; a failure (the socket closing under it) is logged and left to reconnection and polling.
     * A send counts as in flight until Netty has written it to the socket: a device that stops reading makes
     * them pile up, and past the bound the channel is closed (1008) rather than buffered without end.
     */
    public void send(String json) {
        if (violated.get()) {
            return;
        }
        if (sendsInFlight.incrementAndGet() > maxSendsInFlight) {
            sendsInFlight.decrementAndGet();
            violatePolicy("more than " + maxSendsInFlight + " messages to it not written out (it does not read)");
            return;
        }
        socket.sendText(json).subscribe().with(ok -> sendsInFlight.decrementAndGet(), e -> {
            sendsInFlight.decrementAndGet();
            LOG.debugf("Send to %s failed: %s", instanceId, e.toString());
        });
    }

    /** Closes the channel with 1008, logging once (the device's id and the bound it broke, nothing it sent). */
    private void violatePolicy(String what) {
        if (violated.compareAndSet(false, true)) {
            LOG.infof("Channel of %s closed with 1008: %s", instanceId, what);
            // DeviceDisconnected's reasons have no policy violation: the device is told by the close code.
            close(DeviceDisconnected.CLOSED, POLICY_VIOLATION, "policy violation");
        }
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
