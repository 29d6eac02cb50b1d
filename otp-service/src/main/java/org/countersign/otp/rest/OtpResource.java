package org.countersign.otp.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.countersign.otp.service.VerificationService;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Checking what a user typed. */
@Path("/api/v1/otp")
@Tag(name = "otp")
@RolesAllowed({"otp", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
public class OtpResource {

    private final VerificationService verification;
    private final Caller caller;

    public OtpResource(VerificationService verification, Caller caller) {
        this.verification = verification;
        this.caller = caller;
    }

    /** Two consecutive codes of one token; for a user with a server PIN, the PIN before the first, as at a login. */
    @Schema(name = "ResyncRequest")
    public record ResyncRequest(
            @Schema(description = "The user, within the caller's domain", example = "alice")
            @NotBlank @Pattern(regexp = Ids.USER_ID) String userId,
            @Schema(description = "The token to resynchronise", example = "987654321")
            @NotBlank @Pattern(regexp = Ids.ID) String serialNumber,
            @Schema(description = "The first code the token shows; for a user with a server PIN, the PIN followed by that code "
                    + "(as at a login). Printable ASCII without spaces, 6 to 72 characters.", format = "password",
                    example = "755224")
            @NotBlank @Pattern(regexp = "[!-~]{6,72}") String first,
            @Schema(description = "The code the token shows next (the OTP alone)", format = "password", example = "287082")
            @NotBlank @Pattern(regexp = "[0-9]{6,8}") String second) {

        @Override
        public String toString() {
            return "ResyncRequest[" + userId + ", " + serialNumber + "]";
        }
    }

    @POST
    @Path("/resync")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resynchronise a token with two consecutive codes",
            description = "For a token whose counter ran ahead or whose clock drifted: both codes, one after the other, "
                    + "are searched in a wide window (TOTP +-100 steps, HOTP 1,000 ahead). A user with a server PIN types it "
                    + "before the first code, as at a login. accepted moves the token's state; a miss (of the PIN or a code, "
                    + "never told apart) counts as a failed check. Every outcome publishes OtpResyncChecked.")
    @APIResponse(responseCode = "200", description = "accepted, rejected, or locked with retryAfter")
    @APIResponse(responseCode = "400", description = "Malformed input",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<VerifyOtpResponse> resync(@NotNull @Valid ResyncRequest request, @QueryParam("domain") String domain) {
        return verification.resync(caller.actingDomain(domain), request.userId(), request.serialNumber(), request.first(),
                request.second()).map(VerifyOtpResponse::from);
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify an OTP",
            description = "Accepts a code once: a time step or counter that was accepted is never accepted again, not even "
                    + "by two requests at the same moment. A failed check is a normal answer, rejected, that never says why.")
    @APIResponse(responseCode = "200", description = "accepted, rejected, or locked with retryAfter")
    @APIResponse(responseCode = "400", description = "Malformed input",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid bearer token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The token lacks the otp or admin scope",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<VerifyOtpResponse> verify(@NotNull @Valid VerifyOtpRequest request, @QueryParam("domain") String domain) {
        return verification.verify(caller.actingDomain(domain), request.userId(), request.credential(), request.serialNumber())
                .map(VerifyOtpResponse::from);
    }
}
