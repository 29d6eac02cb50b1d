package org.countersign.otp.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.countersign.otp.service.OcraService;
import org.countersign.web.Caller;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** OCRA challenge-response (RFC 6287) for tokens whose PSKC names an OCRA suite. */
@Path("/api/v1/otp/challenges")
@Tag(name = "otp")
@RolesAllowed({"otp", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
public class OcraResource {

    private final OcraService ocra;
    private final Caller caller;

    public OcraResource(OcraService ocra, Caller caller) {
        this.ocra = ocra;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an OCRA challenge",
            description = "Draws a question in the suite's format for the user's OCRA token (the only one, or the one named). "
                    + "The user types it into the token and the token's response is checked with /challenges/verify.")
    @APIResponse(responseCode = "201", description = "The challenge",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OcraChallengeResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed input",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "The user has no (such) credential (unknown-credential)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The credential has no OCRA suite (challenge-response-not-supported), "
            + "its suite needs a PIN, session information, or both a counter and a time (ocra-suite-not-supported), "
            + "or several OCRA tokens qualify and none was named (ambiguous-credential)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> challenge(@NotNull @Valid OcraChallengeRequest request, @QueryParam("domain") String domain) {
        return ocra.issue(caller.actingDomain(domain), request.userId(), request.serialNumber(), request.ttlSeconds())
                .map(issued -> Response.status(Response.Status.CREATED).type(MediaType.APPLICATION_JSON)
                        .entity(new OcraChallengeResponse(issued.challengeId(), issued.challenge(), issued.suite(),
                                issued.serialNumber(), issued.expiresAt()))
                        .build());
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the response to an OCRA challenge",
            description = "Accepts a challenge once: the first right response before expiry; a counter is accepted once and a "
                    + "time step never goes back. A wrong response counts against the credential and the user like a wrong OTP "
                    + "and leaves the challenge open until it expires. A failed check is a normal answer, rejected, that never "
                    + "says why.")
    @APIResponse(responseCode = "200", description = "accepted, rejected, or locked with retryAfter")
    @APIResponse(responseCode = "400", description = "Malformed input",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such challenge in the caller's domain (or of the user named)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<VerifyOcraResponse> verify(@NotNull @Valid VerifyOcraRequest request, @QueryParam("domain") String domain) {
        return ocra.verify(caller.actingDomain(domain), request.challengeId(), request.userId(), request.response())
                .map(VerifyOcraResponse::from);
    }
}
