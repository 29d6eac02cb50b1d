package org.countersign.otp.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.countersign.web.Ids;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The response the token showed for a challenge. */
@Schema(name = "VerifyOcraRequest")
public record VerifyOcraRequest(
        @Schema(description = "The challengeId of the challenge") @NotBlank @Pattern(regexp = Ids.ID) String challengeId,
        @Schema(description = "The digits the token showed (4 to 10, as many as the suite says)", format = "password",
                example = "12345678")
        @NotBlank @Pattern(regexp = "[0-9]{4,10}") String response,
        @Schema(description = "Optional: the user the caller means; a challenge of another user is then unknown (404)")
        @Pattern(regexp = Ids.USER_ID) String userId) {

    @Override
    public String toString() {
        return "VerifyOcraRequest[" + challengeId + "]";
    }
}
