package org.countersign.otp.rest;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new OCRA challenge: the question to show the user, who types it into the token. */
@Schema(name = "OcraChallengeResponse")
public record OcraChallengeResponse(
        @Schema(description = "Names the challenge in the verify request") String challengeId,
        @Schema(description = "The question Q, in the suite's format (e.g. 8 digits for QN08)", example = "48291736")
        String challenge,
        @Schema(description = "The token's OCRA suite (RFC 6287)", example = "OCRA-1:HOTP-SHA1-6:QN08") String suite,
        @Schema(description = "The token challenged") String serialNumber,
        @Schema(description = "Until when a response is accepted (whole seconds)") Instant expiresAt) {
}
