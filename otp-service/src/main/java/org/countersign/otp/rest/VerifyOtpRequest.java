package org.countersign.otp.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the user typed, for whom, and optionally for which token. */
@Schema(name = "VerifyOtpRequest")
public record VerifyOtpRequest(
        @Schema(description = "The user, within the caller's domain", example = "alice")
        @NotBlank @Pattern(regexp = "[^|\\s\\p{Cntrl}]{1,255}") String userId,
        @Schema(description = "The OTP as typed (digits, leading zeros kept)", example = "755224")
        @NotBlank @Pattern(regexp = "[0-9]{6,8}") String credential,
        @Schema(description = "Check only this token", example = "987654321")
        @Pattern(regexp = "[A-Za-z0-9-]{1,64}") String serialNumber) {

    @Override
    public String toString() {
        return "VerifyOtpRequest[" + userId + "]";
    }
}
