package org.countersign.provisioning.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies of the offline activation calls. */
final class OfflineActivationDtos {

    private OfflineActivationDtos() {
    }

    @Schema(name = "AddDeviceRequest")
    record AddDeviceRequest(
            @Schema(description = "The 14-digit device code the device shows; spaces are ignored", example = "0000 0000 0000 00")
            @NotNull @Size(max = 32) String deviceCode) {

        @Override
        public String toString() {
            return "AddDeviceRequest[deviceCode hidden]";
        }
    }

    @Schema(name = "AddDeviceResponse")
    record AddDeviceResponse(
            @Schema(description = "The new instance id (iid)") String instanceId,
            @Schema(description = "Activation message 2, the countersign://activate2 URI to render as an image")
            String activationMessage2) {
    }

    @Schema(name = "ActivateRequest")
    record ActivateRequest(
            @Schema(description = "The same device code as for add-device") @NotNull @Size(max = 32) String deviceCode,
            @Schema(description = "The 8-digit signature the device shows after scanning activation message 2", example = "12345678")
            @NotNull @Pattern(regexp = "[0-9]{8}", message = "must be the 8 digits the device shows") String signature) {

        @Override
        public String toString() {
            return "ActivateRequest[hidden]";
        }
    }

    @Schema(name = "ActivationState")
    record ActivationState(
            String registrationId,
            @Schema(description = "offline, online, migrate or otpauth") String activationType,
            @Schema(description = "pending, device_added, activated, failed, expired or cancelled") String status,
            @Schema(description = "The instance, once a device was added") String instanceId,
            @Schema(description = "Wrong signatures, proofs or codes (or repeated device steps) still allowed") int attemptsLeft,
            java.time.Instant expiresAt) {
    }
}
