package org.countersign.provisioning.rest;

import java.time.Instant;
import java.util.Locale;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An authenticator instance as callers see it; its secret never leaves the service. */
@Schema(name = "AuthenticatorInstance")
public record InstanceResponse(
        String instanceId,
        String userId,
        String serialNumber,
        @Schema(description = "offline or online") String mode,
        @Schema(description = "active or revoked") String status,
        @Schema(description = "OTP parameters (protocol.md), e.g. totp:sha1:6:30") String otp,
        @Schema(description = "The registration that activated it") String registrationId,
        Instant activatedAt,
        Instant revokedAt) {

    static InstanceResponse from(AuthenticatorInstance instance) {
        return new InstanceResponse(instance.instanceId, instance.userId, instance.serialNumber,
                instance.mode.name().toLowerCase(Locale.ROOT), instance.status.name().toLowerCase(Locale.ROOT), instance.otp,
                instance.registrationId, instance.createdAt, instance.revokedAt);
    }
}
