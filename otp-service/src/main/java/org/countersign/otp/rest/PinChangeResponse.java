package org.countersign.otp.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import org.countersign.otp.service.PinService;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** changed; rejected (the old PIN was wrong, or the user has none: never told apart); or locked. */
@Schema(name = "PinChangeResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PinChangeResponse(
        @Schema(enumeration = {"changed", "rejected", "locked"}) String result,
        @Schema(description = "Seconds until the user's lock ends, when locked") Long retryAfter) {

    static PinChangeResponse from(PinService.ChangeOutcome outcome) {
        return new PinChangeResponse(outcome.result().name().toLowerCase(Locale.ROOT), outcome.retryAfterSeconds());
    }
}
