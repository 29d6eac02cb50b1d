package org.countersign.otp.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.countersign.otp.service.OfflineDataService;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Offline authentication data for logon agents (protocol.md, "Offline authentication data"): the
 * bundle, usage reports, and revocation. Called by the agent through the login system that holds
 * the otp scope; a tenant's helpdesk (otp-admin) may revoke too.
 */
@Path("/api/v1/otp/offline-data")
@Tag(name = "offline data")
@RolesAllowed({"otp", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
public class OfflineDataResource {

    private final OfflineDataService offline;
    private final Caller caller;

    public OfflineDataResource(OfflineDataService offline, Caller caller) {
        this.offline = offline;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get offline authentication data for a logon agent",
            description = "The PIN+OTP is checked exactly as at a login (replay, throttling, escalating locks, OtpVerified or "
                    + "OtpRejected); then the bundle covers the days asked for (capped by the domain's policy) from the step "
                    + "after the one just accepted, for the TOTP credential that accepted it. One refresh a day per agent and "
                    + "credential, unless an admin forces it. The answer is protocol.md's bundle, byte for byte.")
    @APIResponse(responseCode = "200", description = "The bundle",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OfflineBundleSchema.class)))
    @APIResponse(responseCode = "400", description = "Malformed input (validation)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "credential-rejected (never says which part was wrong), or "
            + "offline-data-disabled for the domain",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "offline-data-needs-pin, offline-data-pin-too-short, "
            + "offline-data-needs-totp, offline-data-revoked",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "credential-locked, or offline-data-refresh-too-soon (Retry-After, and "
            + "nextRefreshAt in the problem)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> issue(@NotNull @Valid OfflineDataRequest request, @QueryParam("domain") String domain) {
        return offline.issue(caller.actingDomain(domain), request.userId(), request.credential(), request.agentId(),
                request.days(), request.serialNumber()).map(json -> Response.ok(json, MediaType.APPLICATION_JSON).build());
    }

    @POST
    @Path("/usage")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report the steps a logon agent accepted offline",
            description = "Moves the credential's replay state to the latest step reported, never backwards, so that those "
                    + "OTPs fail online. Refused whole when a step is outside the agent's last bundle or has not begun yet, "
                    + "or when the agent's data was revoked. Sending the same report again changes nothing.")
    @APIResponse(responseCode = "200", description = "Recorded")
    @APIResponse(responseCode = "404", description = "unknown-offline-data",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "offline-usage-outside-data, offline-usage-in-future, offline-data-revoked",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<OfflineUsageResponse> report(@NotNull @Valid OfflineUsageReport request, @QueryParam("domain") String domain) {
        return offline.report(caller.actingDomain(domain), request.userId(), request.agentId(), request.steps())
                .map(usage -> new OfflineUsageResponse(usage.steps(), usage.firstStep(), usage.lastStep(), usage.replayStateMoved()));
    }

    @DELETE
    @Path("/{agentId}")
    @RolesAllowed({"otp", Caller.SERVICE_ADMIN_SCOPE, Caller.ADMIN_SCOPE})
    @Operation(summary = "Revoke a logon agent's offline data",
            description = "Later usage reports and refreshes for the agent are refused, until an admin forces a refresh. The "
                    + "bundle already on the laptop keeps working offline until it expires: after a lost laptop, also reset "
                    + "the user's PIN (docs/otp.md). Idempotent.")
    @APIResponse(responseCode = "204", description = "Revoked, or was already")
    @APIResponse(responseCode = "404", description = "unknown-offline-data",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> revoke(@PathParam("agentId") @Pattern(regexp = Ids.ID) String agentId,
                                @QueryParam("userId") @NotNull @Pattern(regexp = Ids.USER_ID) String userId,
                                @QueryParam("domain") String domain) {
        return offline.revoke(caller.actingDomain(domain), userId, agentId).replaceWith(Response.noContent().build());
    }
}
