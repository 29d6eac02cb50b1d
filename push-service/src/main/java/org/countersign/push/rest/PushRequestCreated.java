package org.countersign.push.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new push request. */
@Schema(name = "PushRequestCreated")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushRequestCreated(
        String requestId,
        @Schema(description = "pending") String status,
        Instant expiresAt,
        @Schema(description = "With number matching: show this number to the user, who picks it on the device", example = "42")
        Integer displayNumber) {
}
