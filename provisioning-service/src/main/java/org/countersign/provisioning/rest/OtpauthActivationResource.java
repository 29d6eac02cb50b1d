package org.countersign.provisioning.rest;

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
import org.countersign.provisioning.service.ActivationOutcome;
import org.countersign.provisioning.service.OtpauthActivationService;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Stock authenticator apps (otpauth): the first right code the app shows activates its credential. */
@Path("/api/v1/registrations/{registrationId}/confirm-otp")
@Tag(name = "otpauth activation")
@RolesAllowed({"provisioning", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@ProvisioningProblems
public class OtpauthActivationResource {

    /** What the user types: the code their authenticator app shows now. */
    @Schema(name = "ConfirmOtpRequest")
    record ConfirmOtpRequest(
            @Schema(description = "The code the app shows, as many digits as the registration's OTP parameters say",
                    example = "123456")
            @NotNull @Pattern(regexp = "[0-9]{6,8}", message = "must be the 6 to 8 digits the app shows") String otp) {

        @Override
        public String toString() {
            return "ConfirmOtpRequest[hidden]";
        }
    }

    private final OtpauthActivationService activations;
    private final Caller caller;
    private final JsonWebToken token;

    public OtpauthActivationResource(OtpauthActivationService activations, Caller caller, JsonWebToken token) {
        this.activations = activations;
        this.caller = caller;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Confirm a stock authenticator app: its first code activates it",
            description = "The code is checked against the key the otpauth URI gave the app, one time step either side of "
                    + "now, in constant time. A wrong code is counted: after 5 (configurable) the activation fails for good. "
                    + "Once right, the credential verifies through /api/v1/otp/verify like any other, and that code's time "
                    + "step counts as used there.")
    @APIResponse(responseCode = "200", description = "The active instance (mode otpauth)")
    @APIResponse(responseCode = "404", description = "No such registration in the domain (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already activated (activation-state-conflict), failed for good "
            + "(activation-failed), cancelled, or not an otpauth registration (wrong-activation-type)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "The registration expired (registration-expired)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Wrong code, counted (wrong-activation-otp)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<InstanceResponse> confirm(@PathParam("registrationId") @Pattern(regexp = Ids.ID) String registrationId,
                                         @NotNull @Valid ConfirmOtpRequest request, @QueryParam("domain") String domain) {
        return activations.confirm(caller.actingDomain(domain), registrationId, request.otp(), token.getRawToken())
                .map(outcome -> {
                    if (outcome instanceof ActivationOutcome.Activated activated) {
                        return InstanceResponse.from(activated.instance());
                    }
                    throw ActivationRefusals.of(outcome);
                });
    }
}
