package org.countersign.otp.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import org.countersign.otp.service.ChallengeResponses;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** accepted, rejected (never says why), or locked (too many wrong responses or OTPs). */
@Schema(name = "VerifyOcraResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyOcraResponse(
        @Schema(enumeration = {"accepted", "rejected", "locked"}) String result,
        @Schema(description = "Seconds until a temporary lock ends; absent when only an admin can unlock") Long retryAfter) {

    static VerifyOcraResponse from(ChallengeResponses.Checked checked) {
        return new VerifyOcraResponse(checked.result().name().toLowerCase(Locale.ROOT), checked.retryAfterSeconds());
    }
}
