package org.countersign.otp.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.countersign.web.Ids;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The steps an agent accepted offline, reported once it is back online. */
@Schema(name = "OfflineUsageReport")
public record OfflineUsageReport(
        @Schema(description = "The user, within the caller's domain", example = "alice")
        @NotBlank @Pattern(regexp = Ids.USER_ID) String userId,
        @Schema(description = "The logon agent", example = "7f3c2a9e-5b1d-4c8e-9a6f-0d2b4e6a8c1f")
        @NotBlank @Pattern(regexp = Ids.ID) String agentId,
        @Schema(description = "The TOTP time steps the agent accepted offline (any order; repeats are ignored)",
                example = "[58833021, 58835877]")
        @NotNull @Size(min = 1, max = 1000) List<@NotNull @PositiveOrZero Long> steps) {
}
