package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A response to an offline signing challenge was not accepted (the response itself is never in an
 * event).
 *
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence of the instance that was to sign
 * @param instanceId The authenticator instance that was to sign
 * @param challengeId The challenge (cid)
 * @param dataHash base64url SHA-256 of the message and fields of the challenge
 * @param reason no-match (wrong response), expired, used (approved already), revoked (the instance can no longer
 *     sign), or locked (throttled)
 * @param rejectedAt When
 */
public record SignatureRejected(
        String userId,
        String domain,
        String serialNumber,
        String instanceId,
        String challengeId,
        String dataHash,
        String reason,
        Instant rejectedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.signature-rejected.v1", Topics.AUTHENTICATIONS);
}
