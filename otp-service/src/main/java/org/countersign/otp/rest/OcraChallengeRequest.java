package org.countersign.otp.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.countersign.otp.service.OcraService;
import org.countersign.web.Ids;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An OCRA challenge for a user's challenge-response token. */
@Schema(name = "OcraChallengeRequest")
public record OcraChallengeRequest(
        @Schema(description = "The user, within the caller's domain", example = "alice")
        @NotBlank @Pattern(regexp = Ids.USER_ID) String userId,
        @Schema(description = "The token to challenge, by serial number; needed only when the user has several OCRA tokens")
        @Pattern(regexp = Ids.ID) String serialNumber,
        @Schema(description = "Seconds the challenge can be answered: 30 to 3600, 300 when absent", example = "300")
        @Min(OcraService.MIN_TTL_SECONDS) @Max(OcraService.MAX_TTL_SECONDS) Integer ttlSeconds) {

    @Override
    public String toString() {
        return "OcraChallengeRequest[" + userId + "]";
    }
}
