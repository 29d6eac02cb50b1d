package org.countersign.push.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.countersign.push.service.RequestView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A push request's status, as apps see it. */
@Schema(name = "PushRequestStatus")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushRequestResponse(
        String requestId,
        @Schema(description = "pending, approved, denied or expired") String status,
        Instant createdAt,
        Instant expiresAt,
        @Schema(description = "When it was approved or denied") Instant decidedAt,
        @Schema(description = "The device that answered") String instanceId,
        @Schema(description = "base64url SHA-256 of the message and fields (protocol.md)") String dataHash,
        @Schema(description = "For denied: denied (the user said no) or wrong-number (approved with another number)") String reason,
        @Schema(description = "With number matching: the number to show the user") Integer displayNumber) {

    static PushRequestResponse from(RequestView view) {
        return new PushRequestResponse(view.requestId(), view.status().wire(), view.createdAt(), view.expiresAt(), view.decidedAt(),
                view.instanceId(), view.dataHash(), view.reason(), view.displayNumber());
    }
}
