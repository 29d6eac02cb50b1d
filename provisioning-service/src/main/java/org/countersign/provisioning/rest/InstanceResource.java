package org.countersign.provisioning.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.countersign.provisioning.service.InstanceService;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Activated authenticator instances: one, a user's, and revoking one. */
@Path("/api/v1/instances")
@Tag(name = "instances")
@RolesAllowed({"provisioning", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@ProvisioningProblems
public class InstanceResource {

    private final InstanceService instances;
    private final Caller caller;

    public InstanceResource(InstanceService instances, Caller caller) {
        this.instances = instances;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "A user's instances", description = "Active and revoked, oldest first.")
    @APIResponse(responseCode = "200", description = "The instances")
    public Uni<List<InstanceResponse>> list(@QueryParam("userId") @NotNull @Pattern(regexp = Ids.USER_ID) String userId,
                                            @QueryParam("domain") String domain) {
        return instances.listForUser(caller.actingDomain(domain), userId)
                .map(list -> list.stream().map(InstanceResponse::from).toList());
    }

    @GET
    @Path("/{instanceId}")
    @Operation(summary = "One instance")
    @APIResponse(responseCode = "200", description = "The instance")
    @APIResponse(responseCode = "404", description = "No such instance in the domain (unknown-instance)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<InstanceResponse> get(@PathParam("instanceId") @Pattern(regexp = Ids.ID) String instanceId,
                                     @QueryParam("domain") String domain) {
        return instances.get(caller.actingDomain(domain), instanceId).map(InstanceResponse::from);
    }

    @DELETE
    @Path("/{instanceId}")
    @Operation(summary = "Revoke an instance",
            description = "For good: its OTPs and signatures stop verifying and the licence activation is given back "
                    + "(AuthenticatorRevoked). Revoking a revoked instance changes nothing.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such instance in the domain (unknown-instance)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> revoke(@PathParam("instanceId") @Pattern(regexp = Ids.ID) String instanceId,
                                @QueryParam("domain") String domain) {
        return instances.revoke(caller.actingDomain(domain), instanceId).replaceWith(Response.noContent().build());
    }
}
