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
        @Schema(description = "offline, online (a device key; also an offline instance moved online) or otpauth (a stock "
                + "authenticator app)") String mode,
        @Schema(description = "active or revoked; revoking an online instance revokes its certificate") String status,
        @Schema(description = "OTP parameters (protocol.md), e.g. totp:sha1:6:30") String otp,
        @Schema(description = "The registration that activated it") String registrationId,
        Instant activatedAt,
        Instant revokedAt,
        @Schema(description = "Online: the device certificate's serial number, lower-case hex") String certificateSerial,
        @Schema(description = "Online: when the device certificate expires") Instant certificateNotAfter,
        @Schema(description = "Online: android, ios, web or other") String platform,
        @Schema(description = "Online: the name the user gave the device, if any") String deviceName,
        @Schema(description = "When an offline instance moved online (Rescan Device), if it did") Instant migratedAt) {

    static InstanceResponse from(AuthenticatorInstance instance) {
        return new InstanceResponse(instance.instanceId, instance.userId, instance.serialNumber,
                instance.mode.name().toLowerCase(Locale.ROOT), instance.status.name().toLowerCase(Locale.ROOT), instance.otp,
                instance.registrationId, instance.createdAt, instance.revokedAt, instance.certificateSerial,
                instance.certificateNotAfter, instance.platform, instance.deviceName, instance.migratedAt);
    }
}
