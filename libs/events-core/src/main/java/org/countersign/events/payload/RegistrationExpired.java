package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A registration lapsed before activation; its licence reservation was released.
 *
 * @param registrationId The registration
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param expiredAt When it lapsed
 * @param activationType offline, online, migrate or otpauth (absent in events of older versions)
 */
public record RegistrationExpired(
        String registrationId,
        String userId,
        String domain,
        String serialNumber,
        Instant expiredAt,
        String activationType) {

    public static final EventType TYPE = new EventType("org.countersign.registration.registration-expired.v1", Topics.REGISTRATIONS);
}
