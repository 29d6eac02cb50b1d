package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A licence no longer belongs to the user it was assigned to.
 *
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param userId The user it belonged to
 * @param releasedAt When
 */
public record LicenceReleased(
        String domain,
        String serialNumber,
        String userId,
        Instant releasedAt) {

    public static final EventType TYPE = new EventType("org.countersign.licence.licence-released.v1", Topics.REGISTRATIONS);
}
