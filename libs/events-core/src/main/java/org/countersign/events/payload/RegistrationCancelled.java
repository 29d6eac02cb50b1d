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
 * @param activationType offline, online, migrate or otpauth (absent in events of older versions)
 * @param reason {@code cancelled} (by a caller) or {@code user-deactivated} (absent in events of older versions)
 */
public record RegistrationCancelled(
        String registrationId,
        String userId,
        String domain,
        String serialNumber,
        Instant cancelledAt,
        String activationType,
        String reason) {

    public static final String CANCELLED = "cancelled";
    public static final String USER_DEACTIVATED = "user-deactivated";

    public static final EventType TYPE = new EventType("org.countersign.registration.registration-cancelled.v1", Topics.REGISTRATIONS);
}
