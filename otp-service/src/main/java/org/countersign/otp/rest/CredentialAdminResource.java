package org.countersign.otp.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.countersign.otp.service.CredentialAdminService;
import org.countersign.otp.service.PinService;
import org.countersign.web.Caller;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What an operator needs: a user's credentials with their state, unlock, disable and enable; the
 * user's server PIN (set, reset, remove) and the per-user lock.
 */
@Path("/api/v1/otp/admin")
@Tag(name = "otp admin")
@RolesAllowed(Caller.ADMIN_SCOPE)
@Produces(MediaType.APPLICATION_JSON)
public class CredentialAdminResource {

    /** A credential's state; never its secret. */
    @Schema(name = "CredentialState")
    public record CredentialState(String id, String serialNumber, String instanceId, String kind, String otp, String status,
                                  int drift, Instant lockedUntil, int lockCount, Instant lastUsedAt, String source) {
    }

    private static final String USER_ID = "[^|\\s\\p{Cntrl}]{1,255}";

    private final CredentialAdminService admin;
    private final PinService pins;
    private final Caller caller;

    public CredentialAdminResource(CredentialAdminService admin, PinService pins, Caller caller) {
        this.admin = admin;
        this.pins = pins;
        this.caller = caller;
    }

    @GET
    @Path("/users/{userId}/credentials")
    @Operation(summary = "A user's credentials and their state (drift, locks, last use)")
    public Uni<List<CredentialState>> list(@PathParam("userId") @Pattern(regexp = USER_ID) String userId,
                                           @QueryParam("domain") String domain) {
        return admin.list(caller.actingDomain(domain), userId).map(list -> list.stream().map(c -> new CredentialState(
                c.id.toString(), c.serialNumber, c.instanceId, c.kind.name(), c.otpPolicy, c.status.name(), c.drift,
                c.lockedUntil, c.lockCount, c.lastUsedAt, c.source)).toList());
    }

    @POST
    @Path("/credentials/{id}/{action: unlock|disable|enable}")
    @Operation(summary = "Unlock, disable or enable a credential")
    @APIResponse(responseCode = "204", description = "Done")
    @APIResponse(responseCode = "404", description = "No such credential in this state in the domain (unknown-credential)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> act(@PathParam("id") @Pattern(regexp = "[0-9a-f-]{36}") String id, @PathParam("action") String action,
                             @QueryParam("domain") String domain) {
        return admin.act(caller.actingDomain(domain), UUID.fromString(id), action).replaceWith(Response.noContent().build());
    }

    @PUT
    @Path("/users/{userId}/pin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set or reset a user's server PIN",
            description = "From then on the user types the PIN followed by the OTP. The old PIN is not needed.")
    @APIResponse(responseCode = "204", description = "Set")
    @APIResponse(responseCode = "400", description = "Malformed input, or the PIN breaks the policy "
            + "(pin-too-short, pin-too-long, pin-not-digits, pin-characters)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> setPin(@PathParam("userId") @Pattern(regexp = USER_ID) String userId,
                                @NotNull @Valid SetPinRequest request, @QueryParam("domain") String domain) {
        return pins.set(caller.actingDomain(domain), userId, request.pin()).replaceWith(Response.noContent().build());
    }

    @DELETE
    @Path("/users/{userId}/pin")
    @Operation(summary = "Remove a user's server PIN", description = "The user then types the OTP alone. Idempotent.")
    @APIResponse(responseCode = "204", description = "Removed, or there was none")
    public Uni<Response> removePin(@PathParam("userId") @Pattern(regexp = USER_ID) String userId,
                                   @QueryParam("domain") String domain) {
        return pins.remove(caller.actingDomain(domain), userId).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/users/{userId}/unlock")
    @Operation(summary = "Lift a user's lock", description = "The per-user lock and failure count are forgotten; "
            + "each credential's own lock is lifted through /admin/credentials/{id}/unlock.")
    @APIResponse(responseCode = "204", description = "Unlocked, or was not locked")
    public Uni<Response> unlockUser(@PathParam("userId") @Pattern(regexp = USER_ID) String userId,
                                    @QueryParam("domain") String domain) {
        return admin.unlockUser(caller.actingDomain(domain), userId).replaceWith(Response.noContent().build());
    }
}
