package org.countersign.push.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.countersign.push.domain.PushUser;
import org.countersign.push.service.PushLimits;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What an app asks a user to approve on a device. */
@Schema(name = "CreatePushRequest")
public record CreatePushRequest(
        @Schema(description = "The user, within the caller's domain", example = "alice")
        @NotBlank @Pattern(regexp = PushUser.ID_PATTERN) String userId,
        @Schema(description = "What the device shows first; 1 to 300 characters", example = "Sign in to Example Bank")
        @NotNull @Size(min = 1, max = PushLimits.MAX_MESSAGE_LENGTH) String message,
        @Schema(description = "Named values the device shows, in order; at most 8")
        @Size(max = PushLimits.MAX_FIELDS) List<@NotNull @Valid Field> fields,
        @Schema(description = "Seconds the request can be answered: 10 to 3600; 120 (countersign.push.requests.default-ttl-seconds) when absent",
                example = "120")
        @Min(PushLimits.MIN_TTL_SECONDS) @Max(PushLimits.MAX_TTL_SECONDS) Integer ttlSeconds,
        @Schema(description = "Whether the user must pick the number the app shows (default true)", example = "true")
        Boolean numberMatching) {

    /** A named value: the name 1 to 40 characters without '=' or a line break, the value up to 200 without a line break. */
    @Schema(name = "PushField")
    public record Field(
            @Schema(example = "Browser") @NotNull @Size(min = 1, max = PushLimits.MAX_FIELD_NAME_LENGTH) String name,
            @Schema(example = "Firefox on Linux") @NotNull @Size(max = PushLimits.MAX_FIELD_VALUE_LENGTH) String value) {
    }

    @Override
    public String toString() {
        return "CreatePushRequest[" + userId + "]";
    }
}
