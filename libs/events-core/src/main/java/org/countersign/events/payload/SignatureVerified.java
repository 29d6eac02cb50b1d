package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A user approved a transaction: the response to an offline signing challenge was right, once,
 * before expiry (the response itself is never in an event).
 *
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence of the instance that signed
 * @param instanceId The authenticator instance that signed
 * @param challengeId The challenge (cid)
 * @param dataHash base64url SHA-256 of the message and fields the user approved
 * @param verifiedAt When
 */
public record SignatureVerified(
        String userId,
        String domain,
        String serialNumber,
        String instanceId,
        String challengeId,
        String dataHash,
        Instant verifiedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.signature-verified.v1", Topics.AUTHENTICATIONS);
}
