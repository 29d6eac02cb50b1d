package org.countersign.otp.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import org.countersign.otp.service.VerificationService;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** accepted (with the token that matched), rejected (never says why), or locked (too many guesses). */
@Schema(name = "VerifyOtpResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyOtpResponse(
        @Schema(enumeration = {"accepted", "rejected", "locked"}) String result,
        @Schema(description = "The token that matched, when accepted") String serialNumber,
        @Schema(description = "Seconds until a temporary lock ends; absent when only an admin can unlock") Long retryAfter) {

    static VerifyOtpResponse from(VerificationService.Outcome outcome) {
        return new VerifyOtpResponse(outcome.result().name().toLowerCase(Locale.ROOT), outcome.serialNumber(),
                outcome.retryAfterSeconds());
    }
}
