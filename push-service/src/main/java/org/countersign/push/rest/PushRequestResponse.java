package org.countersign.push.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import org.countersign.push.service.PushRequestService;
import org.countersign.push.service.RequestView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A push request's status, as apps see it. The listing of a user's pending requests adds what each asks
 * (message and fields), which the service keeps only while a request is pending.
 */
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
        @Schema(description = "With number matching: the number to show the user") Integer displayNumber,
        @Schema(description = "Only in the listing of pending requests: what the user is asked to approve") String message,
        @Schema(description = "Only in the listing of pending requests: the named values the device shows, in order",
                implementation = CreatePushRequest.Field[].class) @JsonRawValue String fields) {

    static PushRequestResponse from(RequestView view) {
        return of(view, null, null);
    }

    static PushRequestResponse from(PushRequestService.Pending pending) {
        return of(pending.view(), pending.message(), pending.fieldsJson());
    }

    private static PushRequestResponse of(RequestView view, String message, String fields) {
        return new PushRequestResponse(view.requestId(), view.status().wire(), view.createdAt(), view.expiresAt(), view.decidedAt(),
                view.instanceId(), view.dataHash(), view.reason(), view.displayNumber(), message, fields);
    }
}
