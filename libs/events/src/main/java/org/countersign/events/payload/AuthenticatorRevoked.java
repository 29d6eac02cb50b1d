package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * An authenticator instance was revoked and can no longer authenticate.
 *
 * @param instanceId The instance
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param revokedAt When
 */
public record AuthenticatorRevoked(
        String instanceId,
        String userId,
        String domain,
        String serialNumber,
        Instant revokedAt) {

    public static final EventType TYPE = new EventType("org.countersign.activation.authenticator-revoked.v1", Topics.ACTIVATIONS);
}
