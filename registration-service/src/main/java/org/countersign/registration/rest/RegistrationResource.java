package org.countersign.registration.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.countersign.registration.service.RegistrationService;
import org.countersign.web.Caller;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Registrations by id: reading and cancelling one, and the provisioning-service's fallback read. */
@Path("/api/v1/registrations")
@Tag(name = "registrations")
@RolesAllowed({"registration", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@CommonProblems
public class RegistrationResource {

    private final RegistrationService registrations;
    private final Caller caller;

    public RegistrationResource(RegistrationService registrations, Caller caller) {
        this.registrations = registrations;
        this.caller = caller;
    }

    @GET
    @Path("/{registrationId}")
    @RolesAllowed({"registration", "provisioning", Caller.ADMIN_SCOPE})
    @Operation(summary = "Read a registration", description = "Its state; the activation password is never shown again.")
    @APIResponse(responseCode = "200", description = "The registration")
    @APIResponse(responseCode = "404", description = "No such registration in the domain (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RegistrationView> get(@PathParam("registrationId") @Pattern(regexp = Patterns.ID) String registrationId,
                                     @QueryParam("domain") String domain) {
        return registrations.find(caller.actingDomain(domain), registrationId).map(RegistrationView::from);
    }

    @GET
    @Path("/{registrationId}/pending-activation")
    @RolesAllowed({"provisioning", Caller.ADMIN_SCOPE})
    @Tag(name = "internal")
    @Operation(summary = "Internal: a registration as the provisioning-service needs it",
            description = "The RegistrationPending event's payload, for a device call that arrives before the event. "
                    + "The activation password is sealed to the provisioning-service's public key. The provisioning-service "
                    + "calls it with the device caller's own token, so the domain check is the caller's.")
    @APIResponse(responseCode = "200", description = "The payload and the registration's status")
    @APIResponse(responseCode = "404", description = "No such registration in the domain (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<PendingActivationView> pendingActivation(
            @PathParam("registrationId") @Pattern(regexp = Patterns.ID) String registrationId,
            @QueryParam("domain") String domain) {
        return registrations.pendingActivation(caller.actingDomain(domain), registrationId).map(pending ->
                PendingActivationView.from(pending.payload(), pending.status().name().toLowerCase(java.util.Locale.ROOT)));
    }

    @GET
    @Path("/{registrationId}/existence")
    @PermitAll
    @Tag(name = "internal")
    @Operation(summary = "Internal: whether a registration of this id exists, in any domain and state",
            description = "No bearer token: the provisioning-service asks it for a token-free device call (online "
                    + "activation) whose registration it has not recorded yet, so that a made-up id is answered at once "
                    + "instead of waiting for an event that never comes. It tells nothing the device routes do not: "
                    + "registration ids are random, and they answer unknown-registration for an id that does not exist.")
    @APIResponse(responseCode = "204", description = "A registration of this id exists")
    @APIResponse(responseCode = "404", description = "No registration of this id (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> existence(@PathParam("registrationId") @Pattern(regexp = Patterns.ID) String registrationId) {
        return registrations.requireExists(registrationId).replaceWith(() -> Response.noContent().build());
    }

    @DELETE
    @Path("/{registrationId}")
    @Operation(summary = "Cancel a pending registration", description = "Releases its licence reservation.")
    @APIResponse(responseCode = "204", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such registration in the domain (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "It is no longer pending (registration-closed)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> cancel(@PathParam("registrationId") @Pattern(regexp = Patterns.ID) String registrationId,
                                @QueryParam("domain") String domain) {
        return registrations.cancel(caller.actingDomain(domain), registrationId).replaceWith(Response.noContent().build());
    }
}
