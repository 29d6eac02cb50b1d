package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;

/**
 * Internal: what the provisioning-service needs to activate a registration, with the activation password sealed.
 * For otpauth the activation password is the stock authenticator app's OTP key.
 *
 * @param registrationId The registration
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param activationType How the device will be activated
 * @param instanceId The instance to move online (migrate only) (may be absent)
 * @param otp The OTP parameters of a stock authenticator app's key (otpauth only), e.g. totp:sha1:6:30
 * @param sealedActivationPassword AP, sealed for the purpose activation-password and bound to this registration, its tenant and its user
 * @param expiresAt When the registration lapses
 */
public record RegistrationPending(
        String registrationId,
        String userId,
        String domain,
        String serialNumber,
        String activationType,
        String instanceId,
        String otp,
        SealedValue sealedActivationPassword,
        Instant expiresAt) {

    public static final EventType TYPE = new EventType("org.countersign.registration.registration-pending.v1", Topics.INTERNAL_REGISTRATIONS);
    /** The one service that opens {@code sealedActivationPassword}: it is sealed to its public key. */
    public static final String SEALED_FOR = "provisioning";

    /**
     * What {@code sealedActivationPassword} is bound to: the registration, with its tenant and user, so
     * that a known activation password copied into another user's event does not open.
     */
    public static Binding activationPasswordBinding(String domain, String userId, String registrationId) {
        return Binding.of("activation-password", "registration", domain, userId, registrationId);
    }
}
