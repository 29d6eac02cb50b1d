package org.countersign.otp.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.countersign.web.Ids;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The user's change of PIN, proven with the old PIN and an OTP of one of the user's credentials. */
@Schema(name = "ChangePinRequest")
public record ChangePinRequest(
        @Schema(description = "The current PIN", format = "password", example = "246813")
        @NotNull @Size(min = 1, max = 64) String oldPin,
        @Schema(description = "An OTP of one of the user's credentials (the last digits a login would take after the PIN); "
                + "it is consumed, as at a login", format = "password", example = "755224")
        @NotNull @Pattern(regexp = "[0-9]{6,8}") String otp,
        @Schema(description = "The new PIN (policy: countersign.otp.pin.*, by default 6-16 digits)", format = "password",
                example = "135792")
        @NotNull String newPin,
        @Schema(description = "Check the OTP against this token only", example = "987654321")
        @Pattern(regexp = Ids.ID) String serialNumber) {

    /** A record prints every component; this one must never print a PIN or a code. */
    @Override
    public String toString() {
        return "ChangePinRequest[oldPin=***, otp=***, newPin=***" + (serialNumber == null ? "" : ", " + serialNumber) + "]";
    }
}
