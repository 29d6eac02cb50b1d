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
        @NotNull @Pattern(regexp = DURATION) String registrationLifetime,
        @Schema(description = "Activation types allowed")
        @NotEmpty List<@NotNull @Pattern(regexp = "offline|online|migrate|otpauth") String> activationTypes) {

    /**
     * Days, hours, minutes, seconds in ISO 8601 (PnDTnHnMnS), at most 6 digits each; at least one
     * number, and a T only before a time part, so that "P", "PT" and "P1DT" are refused here.
     */
    static final String DURATION = "P(?=\\d|T\\d)(\\d{1,6}D)?(T(?=\\d)(\\d{1,6}H)?(\\d{1,6}M)?(\\d{1,6}S)?)?";
}
