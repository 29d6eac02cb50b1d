package org.countersign.otp.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import java.util.Locale;
import java.util.UUID;
import org.countersign.otp.service.CredentialAdminService;
import org.countersign.otp.service.PinService;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What an operator needs: a user's credentials with their state, unlock, disable and enable; the
 * user's server PIN (set, reset, remove) and the per-user lock; the domain's settings. Open to the
 * tenant's own {@code otp-admin} scope (its domain only: naming another is refused) and to the
 * cross-tenant {@code admin} scope, which may name another domain with {@code ?domain=}.
 */
@Path("/api/v1/otp/admin")
@Tag(name = "otp admin")
@RolesAllowed({Caller.SERVICE_ADMIN_SCOPE, Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
public class CredentialAdminResource {

    /** A credential's state; never its secret. */
    @Schema(name = "CredentialState")
    public record CredentialState(String id, String serialNumber, String instanceId, String kind, String otp, String status,
                                  int drift, Instant lockedUntil, int lockCount, Instant lastUsedAt, String source) {
    }

    /** The domain's settings; absent values are the defaults. */
    @Schema(name = "DomainSettings")
    public record DomainSettingsResponse(
            @Schema(description = "The domain the settings are for", example = "example.com") String domain,
            @Schema(description = "The n-th temporary lock in a row of a credential is permanent (only an admin lifts it); "
                    + "absent, the default: locks stay temporary and escalate", example = "3", nullable = true)
            Integer permanentLockAfter) {
    }

    /** A change of the domain's settings. */
    @Schema(name = "UpdateDomainSettingsRequest")
    public record UpdateDomainSettingsRequest(
            @Schema(description = "Make the n-th lock in a row of a credential permanent (1 to 20); null turns permanent locks "
                    + "off again", example = "3", nullable = true)
            @Min(1) @Max(20) Integer permanentLockAfter) {
    }

    private static final String USER_ID = Ids.USER_ID;
    /** A credential id: a UUID in its canonical form (anything else never names a credential). */
    private static final String CREDENTIAL_ID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

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
    @Path("/credentials/{id}/{action}")
    @Operation(summary = "Unlock, disable or enable a credential",
            description = "unlock lifts a temporary or permanent lock and its escalation (CredentialUnlocked); disable takes an "
                    + "active credential out of use; enable puts a disabled one back.")
    @APIResponse(responseCode = "204", description = "Done")
    @APIResponse(responseCode = "400", description = "The id is not a UUID, or the action is not unlock, disable or enable "
            + "(validation)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such credential in this state in the domain (unknown-credential)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> act(@PathParam("id") @Pattern(regexp = CREDENTIAL_ID) String id,
                             @PathParam("action") @Pattern(regexp = "unlock|disable|enable",
                                     message = "must be unlock, disable or enable") String action,
                             @QueryParam("domain") String domain) {
        return admin.act(caller.actingDomain(domain), UUID.fromString(id),
                CredentialAdminService.Action.valueOf(action.toUpperCase(Locale.ROOT)))
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/settings")
    @Operation(summary = "The domain's settings (permanent credential locks)")
    @APIResponse(responseCode = "200", description = "The settings; absent values are the defaults")
    public Uni<DomainSettingsResponse> settings(@QueryParam("domain") String domain) {
        return admin.settings(caller.actingDomain(domain))
                .map(settings -> new DomainSettingsResponse(settings.domain, settings.permanentLockAfter));
    }

    @PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the domain's settings",
            description = "permanentLockAfter opts the domain in to permanent credential locks: the n-th temporary lock in a "
                    + "row is for good, until an admin unlocks it. Without it (the default), locks stay temporary and "
                    + "escalate (countersign.otp.throttle.lock-durations).")
    @APIResponse(responseCode = "200", description = "The settings as they are now")
    @APIResponse(responseCode = "400", description = "Malformed input (validation)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DomainSettingsResponse> updateSettings(@NotNull @Valid UpdateDomainSettingsRequest request,
                                                      @QueryParam("domain") String domain) {
        String acting = caller.actingDomain(domain);
        return admin.setPermanentLockAfter(acting, request.permanentLockAfter())
                .replaceWith(new DomainSettingsResponse(acting, request.permanentLockAfter()));
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
    @Operation(summary = "Lift a user's lock", description = "The per-user lock, its escalation "
            + "and the failure count are forgotten; "
            + "each credential's own lock is lifted through /admin/credentials/{id}/unlock.")
    @APIResponse(responseCode = "204", description = "Unlocked, or was not locked")
    public Uni<Response> unlockUser(@PathParam("userId") @Pattern(regexp = USER_ID) String userId,
                                    @QueryParam("domain") String domain) {
        return admin.unlockUser(caller.actingDomain(domain), userId).replaceWith(Response.noContent().build());
    }
}
