package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A licence now belongs to a user: for a hardware token, the user may authenticate with it.
 *
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param userId The user
 * @param authenticatorType The authenticator type
 * @param assignedAt When
 */
public record LicenceAssigned(
        String domain,
        String serialNumber,
        String userId,
        String authenticatorType,
        Instant assignedAt) {

    public static final EventType TYPE = new EventType("org.countersign.licence.licence-assigned.v1", Topics.REGISTRATIONS);
}
