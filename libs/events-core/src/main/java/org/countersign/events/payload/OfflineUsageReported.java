package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A logon agent reported the steps it accepted offline; the credential's replay state moved past
 * them, so their OTPs fail online. Never a code or a PIN.
 *
 * @param userId The user
 * @param domain The tenant
 * @param agentId The logon agent the data is for
 * @param serialNumber The credential (token) whose OTPs the data covers
 * @param instanceId The authenticator instance, for activated instances (may be absent)
 * @param steps How many distinct steps the agent reported using offline
 * @param firstStep The earliest step reported
 * @param lastStep The latest step reported: the credential's replay state is now at least this
 * @param replayStateMoved Whether the report moved the credential's replay state (false: an online
 *     check had gone past it already, or the report was sent again)
 * @param reportedAt When
 */
public record OfflineUsageReported(
        String userId,
        String domain,
        String agentId,
        String serialNumber,
        String instanceId,
        int steps,
        long firstStep,
        long lastStep,
        boolean replayStateMoved,
        Instant reportedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.offline-usage-reported.v1",
            Topics.AUTHENTICATIONS);
}
