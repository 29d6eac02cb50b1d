package org.countersign.registration.rest;

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
import org.countersign.registration.domain.ActivationType;
import org.countersign.registration.service.RegisterCommand;
import org.countersign.registration.service.RegistrationService;
import org.countersign.web.Caller;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Registering a user's authenticator (OneSpan's userRegister). */
@Path("/api/v1/users/register")
@Tag(name = "registrations")
@RolesAllowed({"registration", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@CommonProblems
public class UserRegistrationResource {

    private final RegistrationService registrations;
    private final Caller caller;

    public UserRegistrationResource(RegistrationService registrations, Caller caller) {
        this.registrations = registrations;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an authenticator for a user",
            description = "Reserves one activation of a licence and answers the activation password (once) and the "
                    + "activation message to render. The user is created if new.")
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RegistrationResponse.class)))
    @APIResponse(responseCode = "404", description = "Unknown serial number (unknown-licence) or, for migrate, instance (unknown-instance)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "License activation limit reached (licence-activation-limit), the user's cap "
            + "(user-authenticator-limit), a licence of another user (licence-assigned-elsewhere), no free licence "
            + "(no-free-licence), a type mismatch, an activation type the policy forbids (activation-type-not-allowed, also "
            + "for migrate), a deactivated user, or a migration of an instance that already has one pending (migration-pending)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> register(@NotNull @Valid RegisterUserRequest request, @QueryParam("domain") String domain) {
        RegisterCommand command = new RegisterCommand(request.userId(), request.serialNumber(), request.authenticatorType(),
                ActivationType.fromWire(request.activationType()), request.instanceId());
        return registrations.register(caller.actingDomain(domain), command)
                .map(created -> Response.status(Response.Status.CREATED).entity(RegistrationResponse.from(created))
                        .header("Cache-Control", "no-store").build());
    }
}
