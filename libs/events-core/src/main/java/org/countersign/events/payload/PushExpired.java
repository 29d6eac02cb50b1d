package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A push request was not answered in time; published once, whichever replica noticed.
 *
 * @param requestId The push request
 * @param userId The user
 * @param domain The tenant
 * @param dataHash base64url SHA-256 of the message and fields of the request
 * @param expiredAt When its time ran out (its expiresAt)
 */
public record PushExpired(
        String requestId,
        String userId,
        String domain,
        String dataHash,
        Instant expiredAt) {

    public static final EventType TYPE = new EventType("org.countersign.push.push-expired.v1", Topics.PUSH);
}
