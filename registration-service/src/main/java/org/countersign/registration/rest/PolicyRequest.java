package org.countersign.registration.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A domain's rules for one authenticator type. */
@Schema(name = "Policy")
public record PolicyRequest(
        @Schema(description = "Authenticators a user may hold, pending registrations included", example = "3")
        @NotNull @Min(1) @Max(100) Integer maxAuthenticatorsPerUser,
        @Schema(description = "How long a registration stays open, ISO 8601, from PT1M to P30D", example = "PT15M")
        @NotNull @Pattern(regexp = "P(T(\\d+H)?(\\d+M)?(\\d+S)?|\\d+D(T(\\d+H)?(\\d+M)?(\\d+S)?)?)") String registrationLifetime,
        @Schema(description = "Activation types allowed")
        @NotEmpty List<@NotNull @Pattern(regexp = "offline|online|migrate|otpauth") String> activationTypes) {
}
