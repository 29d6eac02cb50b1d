package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A registration was cancelled; its licence reservation was released.
 *
 * @param registrationId The registration
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param cancelledAt When it was cancelled
 */
public record RegistrationCancelled(
        String registrationId,
        String userId,
        String domain,
        String serialNumber,
        Instant cancelledAt) {

    public static final EventType TYPE = new EventType("org.countersign.registration.registration-cancelled.v1", Topics.REGISTRATIONS);
}
