package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * An app asked a user to approve something on a device (push-service). Never the message or the
 * fields in clear: the dataHash names what the user is asked to approve.
 *
 * @param requestId The push request
 * @param userId The user
 * @param domain The tenant
 * @param dataHash base64url SHA-256 of the message and fields, as protocol.md defines it for push requests
 * @param numberMatching Whether the user must pick the number the app shows
 * @param requireBiometric Whether only devices that declared biometric protection were sent it
 * @param devices How many of the user's devices were sent it
 * @param expiresAt Until when it can be answered
 * @param requestedAt When
 */
public record PushRequested(
        String requestId,
        String userId,
        String domain,
        String dataHash,
        Boolean numberMatching,
        Boolean requireBiometric,
        Integer devices,
        Instant expiresAt,
        Instant requestedAt) {

    public static final EventType TYPE = new EventType("org.countersign.push.push-requested.v1", Topics.PUSH);
}
