package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A device's push channel closed. Not published when a newer connection of the same device has
 * already replaced it, nor by a replica that crashed.
 *
 * @param instanceId The device (authenticator instance)
 * @param userId The user
 * @param domain The tenant
 * @param connectionId The connection that closed (that of its DeviceConnected)
 * @param reason {@code closed} (by the device or the network), {@code heartbeat-timeout} (no sign of life within the
 *               timeout: a half-open connection), {@code revoked} (the instance was revoked) or {@code shutdown} (the
 *               replica stopped; the device reconnects to another)
 * @param disconnectedAt When
 */
public record DeviceDisconnected(
        String instanceId,
        String userId,
        String domain,
        String connectionId,
        String reason,
        Instant disconnectedAt) {

    public static final String CLOSED = "closed";
    public static final String HEARTBEAT_TIMEOUT = "heartbeat-timeout";
    public static final String REVOKED = "revoked";
    public static final String SHUTDOWN = "shutdown";

    public static final EventType TYPE = new EventType("org.countersign.device.device-disconnected.v1", Topics.PUSH);
}
