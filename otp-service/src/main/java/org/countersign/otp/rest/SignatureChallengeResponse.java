package org.countersign.otp.rest;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A challenge: the URI to render as a colour code (e.g. with the visual-codes-service), and until when it can be answered. */
@Schema(name = "SignatureChallengeResponse")
public record SignatureChallengeResponse(
        @Schema(description = "The challenge id (cid), for the verify call") String challengeId,
        @Schema(description = "The countersign://sign URI of protocol.md; the message and fields are sealed for the "
                + "device, so it can be rendered anywhere") String signingMessage,
        @Schema(description = "Until when a response is accepted (whole seconds)") Instant expiresAt) {
}
