package org.countersign.otp.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The user's change of PIN, proven with the old one. */
@Schema(name = "ChangePinRequest")
public record ChangePinRequest(
        @Schema(description = "The current PIN", format = "password", example = "2468")
        @NotNull @Size(max = 64) String oldPin,
        @Schema(description = "The new PIN (policy: countersign.otp.pin.*, by default 4-16 digits)", format = "password",
                example = "13579")
        @NotNull String newPin) {

    /** A record prints every component; this one must never print a PIN. */
    @Override
    public String toString() {
        return "ChangePinRequest[oldPin=***, newPin=***]";
    }
}
