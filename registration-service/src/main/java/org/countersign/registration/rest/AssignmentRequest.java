package org.countersign.registration.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "AssignmentRequest")
public record AssignmentRequest(@NotBlank @Pattern(regexp = Patterns.USER_ID) String userId) {
}
