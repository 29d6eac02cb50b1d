package org.countersign.otp.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.countersign.web.Ids;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A logon agent asks for offline data: who, the PIN+OTP the user typed, which agent, how many days. */
@Schema(name = "OfflineDataRequest")
public record OfflineDataRequest(
        @Schema(description = "The user, within the caller's domain", example = "alice")
        @NotBlank @Pattern(regexp = Ids.USER_ID) String userId,
        @Schema(description = "What the user typed: the server PIN followed by the OTP, checked as at a login. Printable ASCII"
                + " without spaces, 6 to 72 characters.", format = "password", example = "246813755224")
        @NotBlank @Pattern(regexp = "[!-~]{6,72}") String credential,
        @Schema(description = "The logon agent, as it names itself (a random id made once per installation)",
                example = "7f3c2a9e-5b1d-4c8e-9a6f-0d2b4e6a8c1f")
        @NotBlank @Pattern(regexp = Ids.ID) String agentId,
        @Schema(description = "Days to cover from now; more than the domain's policy allows are capped, and the bundle says"
                + " what it covers", example = "7", minimum = "1", maximum = "366")
        @NotNull @Min(1) @Max(366) Integer days,
        @Schema(description = "Check and cover only this token", example = "DEMO-0001")
        @Pattern(regexp = Ids.ID) String serialNumber) {

    @Override
    public String toString() {
        return "OfflineDataRequest[" + userId + ", " + agentId + "]";
    }
}
