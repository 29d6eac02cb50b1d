package org.countersign.otp.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.countersign.web.Ids;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the user typed, for whom, and optionally for which token. */
@Schema(name = "VerifyOtpRequest")
public record VerifyOtpRequest(
        @Schema(description = "The user, within the caller's domain", example = "alice")
        @NotBlank @Pattern(regexp = Ids.USER_ID) String userId,
        @Schema(description = "What the user typed: the OTP (digits, leading zeros kept), or, for a user with a server "
                + "PIN, the PIN followed by the OTP. Printable ASCII without spaces, 6 to 72 characters (a PIN of up to "
                + "64, the longest countersign.otp.pin.max-length allows, and an OTP of up to 8).", format = "password",
                example = "755224")
        @NotBlank @Pattern(regexp = "[!-~]{6,72}") String credential,
        @Schema(description = "Check only this token", example = "987654321")
        @Pattern(regexp = Ids.ID) String serialNumber) {

    @Override
    public String toString() {
        return "VerifyOtpRequest[" + userId + "]";
    }
}
