package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A user registration was opened: the user can now activate an authenticator with the activation password they were given (which is never in an event).
 *
 * @param registrationId The registration
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number reserved for it
 * @param authenticatorType The authenticator type
 * @param activationType How the device will be activated
 * @param instanceId The instance to move online (migrate only) (may be absent)
 * @param expiresAt When the registration lapses
 */
public record RegistrationInitiated(
        String registrationId,
        String userId,
        String domain,
        String serialNumber,
        String authenticatorType,
        String activationType,
        String instanceId,
        Instant expiresAt) {

    public static final EventType TYPE = new EventType("org.countersign.registration.registration-initiated.v1", Topics.REGISTRATIONS);
}
