package org.countersign.registration.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** OneSpan's userRegister: who, with which licence (or a free one of a type), and how to activate. */
@Schema(name = "RegisterUserRequest")
public record RegisterUserRequest(
        @Schema(description = "The user, unique within the caller's domain; created if new", example = "alice")
        @NotBlank @Pattern(regexp = Patterns.USER_ID) String userId,
        @Schema(description = "A licence of the domain; without it a free licence of authenticatorType is taken", example = "SN-0001")
        @Pattern(regexp = Patterns.ID) String serialNumber,
        @Schema(description = "The authenticator type, needed without a serialNumber", example = "hardware-offline")
        @Pattern(regexp = Patterns.TYPE) String authenticatorType,
        @Schema(description = "offline (two images), online (device keys), migrate (an offline instance goes online) or "
                + "otpauth (a stock authenticator app reads an otpauth:// URI)",
                enumeration = {"offline", "online", "migrate", "otpauth"})
        @NotBlank @Pattern(regexp = "offline|online|migrate|otpauth") String activationType,
        @Schema(description = "The instance to move online, for migrate")
        @Pattern(regexp = Patterns.ID) String instanceId) {
}
