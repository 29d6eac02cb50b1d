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
import java.util.List;
import org.countersign.otp.service.SignatureService;
import org.countersign.web.Caller;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Offline transaction signing (protocol.md, "Offline transaction signing"). */
@Path("/api/v1/signatures")
@Tag(name = "signatures")
@RolesAllowed({"otp", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
public class SignatureResource {

    private final SignatureService signatures;
    private final Caller caller;

    public SignatureResource(SignatureService signatures, Caller caller) {
        this.signatures = signatures;
        this.caller = caller;
    }

    @POST
    @Path("/challenges")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an offline signing challenge",
            description = "Seals the message and fields for the user's signing instance (the only one, or the one named) "
                    + "into a countersign://sign URI to render as a colour code. Only the dataHash is kept.")
    @APIResponse(responseCode = "201", description = "The challenge",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignatureChallengeResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed input, data that breaks a dataHash rule, or too large to sign",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "The user has no (such) credential",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The credential cannot sign, or several could and none was named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> challenge(@NotNull @Valid SignatureChallengeRequest request, @QueryParam("domain") String domain) {
        List<String[]> fields = request.fields() == null ? List.of()
                : request.fields().stream().map(f -> new String[] {f.name(), f.value()}).toList();
        return signatures.issue(caller.actingDomain(domain), request.userId(), request.serialNumber(), request.message(), fields,
                        request.ttlSeconds())
                .map(issued -> Response.status(Response.Status.CREATED).type(MediaType.APPLICATION_JSON)
                        .entity(new SignatureChallengeResponse(issued.challengeId(), issued.signingMessage(), issued.expiresAt()))
                        .build());
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the response to a signing challenge",
            description = "Approves a challenge once: the first right response before expiry. A wrong response counts against "
                    + "the credential and the user like a wrong OTP and leaves the challenge open until it expires. A failed "
                    + "check is a normal answer, rejected, that never says why.")
    @APIResponse(responseCode = "200", description = "approved, rejected, or locked with retryAfter")
    @APIResponse(responseCode = "400", description = "Malformed input",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such challenge in the caller's domain (or of the user named)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<VerifySignatureResponse> verify(@NotNull @Valid VerifySignatureRequest request, @QueryParam("domain") String domain) {
        return signatures.verify(caller.actingDomain(domain), request.challengeId(), request.userId(), request.response())
                .map(VerifySignatureResponse::from);
    }
}
