package org.countersign.otp.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.countersign.web.Ids;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The response the user typed for a challenge. */
@Schema(name = "VerifySignatureRequest")
public record VerifySignatureRequest(
        @Schema(description = "The challengeId of the challenge") @NotBlank @Pattern(regexp = Ids.ID) String challengeId,
        @Schema(description = "The 8 digits the device showed", format = "password", example = "12345678")
        @NotBlank @Pattern(regexp = "[0-9]{8}") String response,
        @Schema(description = "Optional: the user the caller means; a challenge of another user is then unknown (404)")
        @Pattern(regexp = Ids.USER_ID) String userId) {

    @Override
    public String toString() {
        return "VerifySignatureRequest[" + challengeId + "]";
    }
}
