package org.countersign.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail, the body of every error answer.
 *
 * @param errors the offending fields of a validation failure, absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem detail, sent as application/problem+json")
public record Problem(
        @Schema(description = "Stable URI of the problem type", example = "https://countersign.org/problems/validation")
        URI type,
        @Schema(description = "Short, stable summary of the problem type", example = "Request validation failed")
        String title,
        @Schema(description = "HTTP status", example = "400")
        int status,
        @Schema(description = "What went wrong in this occurrence")
        String detail,
        @Schema(description = "The request path")
        String instance,
        @Schema(description = "The offending fields, for validation problems")
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One offending field of a request. */
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(description = "Path of the field in the request, e.g. body.userId or query.size") String field,
            @Schema(description = "Why the value was refused") String message) {
    }

    public static Problem of(ProblemKind kind, String detail, String instance) {
        return new Problem(kind.type(), kind.title(), kind.status(), detail, instance, null);
    }

    public static Problem of(ProblemKind kind, String detail, String instance, List<FieldError> errors) {
        return new Problem(kind.type(), kind.title(), kind.status(), detail, instance, errors);
    }
}
