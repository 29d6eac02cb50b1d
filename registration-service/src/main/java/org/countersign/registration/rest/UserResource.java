package org.countersign.registration.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.countersign.registration.service.UserService;
import org.countersign.web.Caller;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Users of the caller's domain. */
@Path("/api/v1/users/{userId}")
@Tag(name = "users")
@RolesAllowed({"registration", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@CommonProblems
public class UserResource {

    private final UserService users;
    private final Caller caller;

    public UserResource(UserService users, Caller caller) {
        this.users = users;
        this.caller = caller;
    }

    @PUT
    @Operation(summary = "Create a user, or reactivate a deactivated one")
    @APIResponse(responseCode = "200", description = "The user")
    public Uni<UserResponse> put(@PathParam("userId") @Pattern(regexp = Patterns.USER_ID) String userId,
                                 @QueryParam("domain") String domain) {
        String acting = caller.actingDomain(domain);
        return users.put(acting, userId).chain(user -> users.get(acting, userId)).map(UserResponse::from);
    }

    @GET
    @Operation(summary = "A user with their licences and registrations")
    @APIResponse(responseCode = "200", description = "The user")
    @APIResponse(responseCode = "404", description = "No such user in the domain (unknown-user)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<UserResponse> get(@PathParam("userId") @Pattern(regexp = Patterns.USER_ID) String userId,
                                 @QueryParam("domain") String domain) {
        return users.get(caller.actingDomain(domain), userId).map(UserResponse::from);
    }

    @DELETE
    @Operation(summary = "Deactivate a user",
            description = "Cancels their pending registrations and tells the other services to revoke what they hold.")
    @APIResponse(responseCode = "204", description = "Deactivated")
    @APIResponse(responseCode = "404", description = "No such user in the domain (unknown-user)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> deactivate(@PathParam("userId") @Pattern(regexp = Patterns.USER_ID) String userId,
                                    @QueryParam("domain") String domain) {
        return users.deactivate(caller.actingDomain(domain), userId).replaceWith(Response.noContent().build());
    }
}
