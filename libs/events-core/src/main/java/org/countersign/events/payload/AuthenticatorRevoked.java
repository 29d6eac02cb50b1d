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
 * @param reason {@code revoked} (by a caller), {@code user-deactivated}, or {@code registration-closed} (its
 *               registration was cancelled or expired while the activation was on its way); absent in events of
 *               older versions
 */
public record AuthenticatorRevoked(
        String instanceId,
        String userId,
        String domain,
        String serialNumber,
        Instant revokedAt,
        String reason) {

    public static final String REVOKED = "revoked";
    public static final String USER_DEACTIVATED = "user-deactivated";
    public static final String REGISTRATION_CLOSED = "registration-closed";

    public static final EventType TYPE = new EventType("org.countersign.activation.authenticator-revoked.v1", Topics.ACTIVATIONS);
}
