package org.countersign.registration.rest;

import java.time.Instant;
import org.countersign.events.payload.RegistrationPending;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * For the provisioning-service only: the RegistrationPending payload of a registration, for a device
 * call that arrives before the event. The activation password is sealed to the provisioning-service's
 * public key, so that only its private key opens it, and bound to this registration.
 */
@Schema(name = "PendingActivation")
public record PendingActivationView(
        String registrationId,
        String userId,
        String domain,
        String serialNumber,
        String activationType,
        String instanceId,
        @Schema(description = "The OTP parameters of a stock authenticator app's key (otpauth only)") String otp,
        @Schema(description = "AP sealed to the provisioning-service's public key for the purpose activation-password, bound to this registration, its tenant and its user; absent unless the registration is pending") String sealedActivationPassword,
        Instant expiresAt,
        @Schema(description = "pending, activated, expired, cancelled, failed or revoked") String status) {

    static PendingActivationView from(RegistrationPending pending, String status) {
        return new PendingActivationView(pending.registrationId(), pending.userId(), pending.domain(), pending.serialNumber(),
                pending.activationType(), pending.instanceId(), pending.otp(),
                pending.sealedActivationPassword() == null ? null : pending.sealedActivationPassword().toText(),
                pending.expiresAt(), status);
    }

    @Override
    public String toString() {
        return "PendingActivationView[" + registrationId + ", " + status + "]";
    }
}
