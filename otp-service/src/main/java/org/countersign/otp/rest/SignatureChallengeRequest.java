package org.countersign.otp.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.countersign.otp.service.SigningLimits;
import org.countersign.web.Ids;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A transaction for a user to approve on an offline device. */
@Schema(name = "SignatureChallengeRequest")
public record SignatureChallengeRequest(
        @Schema(description = "The user, within the caller's domain", example = "alice")
        @NotBlank @Pattern(regexp = Ids.USER_ID) String userId,
        @Schema(description = "The instance that is to sign, by its licence's serial number; needed only when the user has "
                + "several that can sign")
        @Pattern(regexp = Ids.ID) String serialNumber,
        @Schema(description = "What the device shows first, e.g. 'Approve the payment'; 1 to 300 characters",
                example = "Approve the payment")
        @NotNull @Size(min = 1, max = SigningLimits.MAX_MESSAGE_LENGTH) String message,
        @Schema(description = "Named values the device shows, in order; at most 8")
        @Size(max = SigningLimits.MAX_FIELDS) List<@NotNull @Valid Field> fields,
        @Schema(description = "Seconds the challenge can be answered: 30 to 3600, 300 when absent", example = "300")
        @Min(SigningLimits.MIN_TTL_SECONDS) @Max(SigningLimits.MAX_TTL_SECONDS) Integer ttlSeconds) {

    /** A named value: the name 1 to 40 characters without '=' or a line break, the value up to 200 without a line break. */
    @Schema(name = "SignatureField")
    public record Field(
            @Schema(example = "Amount") @NotNull @Size(min = 1, max = SigningLimits.MAX_FIELD_NAME_LENGTH) String name,
            @Schema(example = "EUR 100.00") @NotNull @Size(max = SigningLimits.MAX_FIELD_VALUE_LENGTH) String value) {
    }

    @Override
    public String toString() {
        return "SignatureChallengeRequest[" + userId + "]";
    }
}
