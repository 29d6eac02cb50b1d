package org.countersign.otp.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.countersign.otp.service.PinService;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A user changing their own server PIN, through the login system that holds the otp scope. */
@Path("/api/v1/otp/users/{userId}/pin")
@Tag(name = "otp")
@RolesAllowed({"otp", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
public class PinResource {

    private final PinService pins;
    private final Caller caller;

    public PinResource(PinService pins, Caller caller) {
        this.pins = pins;
        this.caller = caller;
    }

    @POST
    @Path("/change")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the server PIN with the old PIN and an OTP",
            description = "The old PIN and an OTP of one of the user's credentials prove the change, exactly as PIN+OTP at a "
                    + "login: the OTP is consumed, and a failure counts against the credentials and the user as a failed "
                    + "login does (locks escalate). changed, or rejected when the old PIN or the OTP is wrong or the user has "
                    + "no PIN (never told apart), or locked (retryAfter, absent when only an admin can unlock).")
    @APIResponse(responseCode = "200", description = "changed, rejected, or locked")
    @APIResponse(responseCode = "400", description = "Malformed input, or the new PIN breaks the policy "
            + "(pin-too-short, pin-too-long, pin-not-digits, pin-characters)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<PinChangeResponse> change(@PathParam("userId") @Pattern(regexp = Ids.USER_ID) String userId,
                                         @NotNull @Valid ChangePinRequest request, @QueryParam("domain") String domain) {
        return pins.change(caller.actingDomain(domain), userId, request.oldPin(), request.otp(), request.serialNumber(),
                request.newPin()).map(PinChangeResponse::from);
    }
}
