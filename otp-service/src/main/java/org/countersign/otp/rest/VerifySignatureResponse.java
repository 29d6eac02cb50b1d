package org.countersign.otp.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import org.countersign.otp.service.ChallengeResponses;
import org.countersign.otp.service.CheckResult;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** approved, rejected (never says why), or locked (too many wrong responses), with the dataHash of what was to be signed. */
@Schema(name = "VerifySignatureResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifySignatureResponse(
        @Schema(enumeration = {"approved", "rejected", "locked"}) String result,
        @Schema(description = "base64url SHA-256 of the challenge's message and fields (protocol.md, dataHash)") String dataHash,
        @Schema(description = "Seconds until a temporary lock ends; absent when only an admin can unlock") Long retryAfter) {

    /** What the user saw was a transaction: an accepted response approves it. */
    static VerifySignatureResponse from(ChallengeResponses.Checked checked) {
        String result = checked.result() == CheckResult.ACCEPTED ? "approved" : checked.result().name().toLowerCase(Locale.ROOT);
        return new VerifySignatureResponse(result, checked.dataHash(), checked.retryAfterSeconds());
    }
}
