package org.countersign.push.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A device's answer (protocol.md, "Push requests"). */
@Schema(name = "AnswerPushRequest")
public record AnswerPushRequest(
        @Schema(description = "approve or deny") @NotNull @Size(max = 16) String decision,
        @Schema(description = "With number matching: the number the user picked") Integer selectedNumber,
        @Schema(description = "base64url of the DER ECDSA P-256 signature over countersign/v1/push|requestId|challenge|dataHash"
                + "|decision|selectedNumber|iid") @NotNull @Size(max = 256) String signature) {
}
