package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * The user approved a push request on a device, with a valid signature of that device's key (and
 * the right number, when number matching was on).
 *
 * @param requestId The push request
 * @param userId The user
 * @param domain The tenant
 * @param instanceId The device (authenticator instance) that approved
 * @param dataHash base64url SHA-256 of the message and fields that were approved
 * @param approvedAt When
 */
public record PushApproved(
        String requestId,
        String userId,
        String domain,
        String instanceId,
        String dataHash,
        Instant approvedAt) {

    public static final EventType TYPE = new EventType("org.countersign.push.push-approved.v1", Topics.PUSH);
}
