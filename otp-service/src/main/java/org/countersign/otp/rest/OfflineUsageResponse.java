package org.countersign.otp.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a usage report did. */
@Schema(name = "OfflineUsageResponse")
public record OfflineUsageResponse(
        @Schema(description = "Distinct steps reported", example = "2") int steps,
        @Schema(description = "The earliest step reported", example = "58833021") long firstStep,
        @Schema(description = "The latest step reported: the credential's OTPs up to this step now fail online",
                example = "58835877") long lastStep,
        @Schema(description = "Whether the replay state moved (false: an online check had gone past it already, or the"
                + " report was sent again)") boolean replayStateMoved) {
}
