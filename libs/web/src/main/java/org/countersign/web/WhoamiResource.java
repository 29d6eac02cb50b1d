package org.countersign.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Echoes who the caller is, so that integrators can check their tokens against each service. */
@Path("/api/v1/whoami")
@Tag(name = "whoami")
public class WhoamiResource {

    private final Caller caller;
    private final ServiceIdentity service;

    public WhoamiResource(Caller caller, ServiceIdentity service) {
        this.caller = caller;
        this.service = service;
    }

    /** The caller as this service sees it. */
    @Schema(name = "Whoami")
    public record WhoamiResponse(
            @Schema(description = "The service that answered", example = "registration") String service,
            @Schema(description = "The token's subject") String subject,
            @Schema(description = "The caller's tenant domain", example = "example.com") String domain,
            @Schema(description = "The caller's scopes") List<String> scopes) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"${countersign.web.scope}", Caller.SERVICE_ADMIN_SCOPE, Caller.ADMIN_SCOPE})
    @Operation(summary = "Who am I", description = "Needs this service's scope, its admin scope (<scope>-admin) or admin.")
    public WhoamiResponse whoami() {
        return new WhoamiResponse(service.name(), caller.subject(), caller.domain(),
                List.copyOf(new TreeSet<>(caller.scopes())));
    }
}
