package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A logon agent's offline authentication data was revoked: its usage reports and refreshes are
 * refused until an admin forces a refresh.
 *
 * @param userId The user
 * @param domain The tenant
 * @param agentId The logon agent the data is for
 * @param serialNumber The credential (token) whose OTPs the data covers
 * @param revokedAt When
 */
public record OfflineDataRevoked(
        String userId,
        String domain,
        String agentId,
        String serialNumber,
        Instant revokedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.offline-data-revoked.v1",
            Topics.AUTHENTICATIONS);
}
