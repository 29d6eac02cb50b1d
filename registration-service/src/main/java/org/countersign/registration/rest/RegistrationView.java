package org.countersign.registration.rest;

import java.time.Instant;
import org.countersign.registration.domain.Registration;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A registration as it stands; the activation password is never shown again. */
@Schema(name = "Registration")
public record RegistrationView(
        String registrationId,
        String userId,
        String serialNumber,
        String authenticatorType,
        @Schema(description = "offline, online, migrate or otpauth") String activationType,
        @Schema(description = "The instance activated by it, or moved online by a migration") String instanceId,
        @Schema(description = "pending, activated, expired, cancelled, failed or revoked") String status,
        Instant createdAt,
        Instant expiresAt,
        Instant closedAt) {

    static RegistrationView from(Registration registration) {
        return new RegistrationView(registration.id, registration.userId, registration.serialNumber,
                registration.authenticatorType, registration.activationType, registration.instanceId,
                registration.status.name().toLowerCase(java.util.Locale.ROOT), registration.createdAt, registration.expiresAt,
                registration.closedAt);
    }
}
