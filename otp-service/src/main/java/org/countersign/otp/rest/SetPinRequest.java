package org.countersign.otp.rest;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An admin's new PIN for a user. The PIN policy is checked by the service, which names the broken rule. */
@Schema(name = "SetPinRequest")
public record SetPinRequest(
        @Schema(description = "The new PIN (policy: countersign.otp.pin.*, by default 6-16 digits)", format = "password",
                example = "246813")
        @NotNull String pin) {

    /** A record prints every component; this one must never print the PIN. */
    @Override
    public String toString() {
        return "SetPinRequest[pin=***]";
    }
}
