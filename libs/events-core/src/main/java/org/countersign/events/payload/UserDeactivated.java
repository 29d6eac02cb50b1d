package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A user was deactivated; every service revokes what the user holds.
 *
 * @param userId The user
 * @param domain The tenant
 * @param deactivatedAt When
 */
public record UserDeactivated(
        String userId,
        String domain,
        Instant deactivatedAt) {

    public static final EventType TYPE = new EventType("org.countersign.user.user-deactivated.v1", Topics.REGISTRATIONS);
}
