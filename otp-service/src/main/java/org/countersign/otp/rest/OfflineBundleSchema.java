package org.countersign.otp.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The bundle as protocol.md gives it, for the OpenAPI document only: the service answers the bytes
 * libs/protocol writes ({@code OfflineBundle.toJson}), members in this order, no white space.
 */
@Schema(name = "OfflineBundle", description = "Offline authentication data (protocol.md, \"Offline authentication data\"): "
        + "it covers the TOTP steps [firstStep, firstStep + len(tags)/8)")
public record OfflineBundleSchema(
        @Schema(description = "Always 1", example = "1") int v,
        @Schema(example = "alice") String userId,
        @Schema(example = "7f3c2a9e-5b1d-4c8e-9a6f-0d2b4e6a8c1f") String agentId,
        @Schema(description = "The token whose OTPs the tags cover", example = "DEMO-0001") String serialNumber,
        @Schema(description = "Its otp policy (always TOTP)", example = "totp:sha1:6:30") String otp,
        @Schema(description = "How many characters of what the user types are the PIN", example = "6") int pinLength,
        @Schema(description = "base64url of the 16-byte PBKDF2 salt") String salt,
        @Schema(description = "PBKDF2-HMAC-SHA256 iterations of K_off", example = "600000") int iterations,
        @Schema(description = "The first TOTP step covered", example = "58833021") long firstStep,
        @Schema(description = "base64url of the concatenated 8-byte tags, in step order") String tags) {
}
