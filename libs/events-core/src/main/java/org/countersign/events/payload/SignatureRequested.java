package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * An offline signing challenge was issued: a transaction for the user to approve on an instance
 * (never the message in clear, the response or a key; the dataHash names what is to be signed).
 *
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence of the instance that is to sign
 * @param instanceId The authenticator instance that is to sign
 * @param challengeId The challenge (cid)
 * @param dataHash base64url SHA-256 of the message and fields, as protocol.md defines it for push requests
 * @param expiresAt Until when the response is accepted
 * @param requestedAt When
 */
public record SignatureRequested(
        String userId,
        String domain,
        String serialNumber,
        String instanceId,
        String challengeId,
        String dataHash,
        Instant expiresAt,
        Instant requestedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.signature-requested.v1", Topics.AUTHENTICATIONS);
}
