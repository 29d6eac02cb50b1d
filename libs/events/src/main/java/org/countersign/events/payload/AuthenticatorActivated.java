package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * An authenticator instance is active: it can log in with OTPs and sign.
 *
 * @param registrationId The registration it completes
 * @param instanceId The instance
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param mode How it was activated
 * @param otp Its OTP parameters (protocol.md)
 * @param activatedAt When
 */
public record AuthenticatorActivated(
        String registrationId,
        String instanceId,
        String userId,
        String domain,
        String serialNumber,
        String mode,
        String otp,
        Instant activatedAt) {

    public static final EventType TYPE = new EventType("org.countersign.activation.authenticator-activated.v1", Topics.ACTIVATIONS);
}
