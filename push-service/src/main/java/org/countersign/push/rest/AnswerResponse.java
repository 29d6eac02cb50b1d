package org.countersign.push.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.countersign.push.service.AnswerService;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the answer decided. */
@Schema(name = "PushAnswerResult")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnswerResponse(
        String requestId,
        @Schema(description = "approved or denied") String status,
        @Schema(description = "For denied: denied or wrong-number") String reason) {

    static AnswerResponse from(AnswerService.Decided decided) {
        return new AnswerResponse(decided.requestId(), decided.status().wire(), decided.reason());
    }
}
