package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A device opened its push channel (the WebSocket of the push-service), authenticated by its device
 * token.
 *
 * @param instanceId The device (authenticator instance)
 * @param userId The user
 * @param domain The tenant
 * @param connectionId This connection, so that a consumer can pair it with its DeviceDisconnected
 * @param connectedAt When
 */
public record DeviceConnected(
        String instanceId,
        String userId,
        String domain,
        String connectionId,
        Instant connectedAt) {

    public static final EventType TYPE = new EventType("org.countersign.device.device-connected.v1", Topics.PUSH);
}
