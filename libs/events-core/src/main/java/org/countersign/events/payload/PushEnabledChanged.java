package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A user's push settings changed: enabled for push approvals or not, and whether only devices with
 * biometric protection may receive them ("Require Biometric"). Published only when something changed.
 *
 * @param userId The user
 * @param domain The tenant
 * @param enabled Whether the user may be sent push requests
 * @param requireBiometric Whether only devices that declared biometric protection are sent them
 * @param reason {@code admin} (one user), {@code bulk} (a bulk change, see bulkJobId) or {@code user-deactivated}
 * @param bulkJobId The bulk job that made the change, for reason bulk
 * @param changedAt When
 */
public record PushEnabledChanged(
        String userId,
        String domain,
        Boolean enabled,
        Boolean requireBiometric,
        String reason,
        String bulkJobId,
        Instant changedAt) {

    public static final String ADMIN = "admin";
    public static final String BULK = "bulk";
    public static final String USER_DEACTIVATED = "user-deactivated";

    public static final EventType TYPE = new EventType("org.countersign.user.push-enabled-changed.v1", Topics.PUSH);
}
