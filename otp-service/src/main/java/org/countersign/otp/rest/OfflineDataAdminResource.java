package org.countersign.otp.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
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
import org.countersign.otp.domain.OfflinePolicy;
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
 * Operators and offline data: the domain's policy, the agents of a user, and forcing a refresh.
 * Open to the tenant's own {@code otp-admin} scope (its domain only) and to {@code admin}.
 */
@Path("/api/v1/otp/admin/offline-data")
@Tag(name = "otp admin")
@RolesAllowed({Caller.SERVICE_ADMIN_SCOPE, Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
public class OfflineDataAdminResource {

    /** The domain's offline-data policy, defaults filled in. */
    @Schema(name = "OfflinePolicy")
    public record PolicyResponse(
            @Schema(example = "example.com") String domain,
            @Schema(description = "Whether the domain's users' agents may have offline data") boolean enabled,
            @Schema(description = "The most days one bundle covers", example = "7") int maxDays,
            @Schema(description = "PBKDF2-HMAC-SHA256 iterations of K_off in new bundles", example = "600000") int iterations,
            @Schema(description = "Whether admins may force a refresh") boolean adminsMayForce) {

        static PolicyResponse of(String domain, OfflinePolicy policy) {
            return new PolicyResponse(domain, policy.enabled(), policy.maxDays(), policy.iterations(), policy.adminsMayForce());
        }
    }

    /** A change of the policy; each absent (null) value goes back to the service's default. */
    @Schema(name = "UpdateOfflinePolicyRequest")
    public record UpdatePolicyRequest(
            @Schema(description = "Allow offline data (default: countersign.otp.offline.enabled, false)", nullable = true)
            Boolean enabled,
            @Schema(description = "1 to 31 (default 7)", nullable = true, example = "7")
            @Min(1) @Max(OfflinePolicy.MAX_DAYS) Integer maxDays,
            @Schema(description = "100,000 to 2,000,000 (default 600,000)", nullable = true, example = "600000")
            @Min(OfflinePolicy.MIN_ITERATIONS) @Max(OfflinePolicy.MAX_ITERATIONS) Integer iterations,
            @Schema(description = "Let admins force a refresh (default true)", nullable = true)
            Boolean adminsMayForce) {
    }

    /** An agent's data as an admin sees it; never the tags, the salt or the PIN. */
    @Schema(name = "OfflineAgent")
    public record AgentResponse(String agentId, String serialNumber, long firstStep, long endStep, Instant validFrom,
                                Instant validUntil, int iterations, Instant issuedAt, Instant nextRefreshAt, boolean refreshForced,
                                Instant revokedAt, Long lastReportedStep, Instant reportedAt) {
    }

    private final OfflineDataService offline;
    private final Caller caller;

    public OfflineDataAdminResource(OfflineDataService offline, Caller caller) {
        this.offline = offline;
        this.caller = caller;
    }

    @GET
    @Path("/policy")
    @Operation(summary = "The domain's offline-data policy")
    public Uni<PolicyResponse> policy(@QueryParam("domain") String domain) {
        String acting = caller.actingDomain(domain);
        return offline.policy(acting).map(policy -> PolicyResponse.of(acting, policy));
    }

    @PUT
    @Path("/policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the domain's offline-data policy",
            description = "Each value left out (or null) goes back to the service's default. New values apply to the next "
                    + "bundle; bundles already issued keep what they cover and their iterations.")
    @APIResponse(responseCode = "200", description = "The policy as it is now")
    @APIResponse(responseCode = "400", description = "Malformed input (validation)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<PolicyResponse> setPolicy(@NotNull @Valid UpdatePolicyRequest request, @QueryParam("domain") String domain) {
        String acting = caller.actingDomain(domain);
        return offline.setPolicy(acting, request.enabled(), request.maxDays(), request.iterations(), request.adminsMayForce())
                .map(policy -> PolicyResponse.of(acting, policy));
    }

    @GET
    @Path("/agents")
    @Operation(summary = "A user's logon agents and their offline data (never the tags, the salt or the PIN)")
    public Uni<List<AgentResponse>> agents(@QueryParam("userId") @NotNull @Pattern(regexp = Ids.USER_ID) String userId,
                                           @QueryParam("domain") String domain) {
        return offline.list(caller.actingDomain(domain), userId).map(list -> list.stream().map(view -> new AgentResponse(
                view.agent().agentId, view.agent().serialNumber, view.agent().firstStep, view.agent().endStep, view.validFrom(),
                view.validUntil(), view.agent().iterations, view.agent().issuedAt, view.agent().nextRefreshAt,
                view.agent().forced(), view.agent().revokedAt, view.agent().lastReportedStep, view.agent().reportedAt)).toList());
    }

    @POST
    @Path("/agents/{agentId}/force-refresh")
    @Operation(summary = "Allow an agent's next refresh now",
            description = "The next refresh for this agent is allowed before the day is over, and also after a revocation. "
                    + "Refused when the domain's policy does not let admins force (offline-refresh-force-not-allowed).")
    @APIResponse(responseCode = "204", description = "The next refresh is allowed")
    @APIResponse(responseCode = "403", description = "offline-refresh-force-not-allowed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "unknown-offline-data",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> forceRefresh(@PathParam("agentId") @Pattern(regexp = Ids.ID) String agentId,
                                      @QueryParam("userId") @NotNull @Pattern(regexp = Ids.USER_ID) String userId,
                                      @QueryParam("domain") String domain) {
        return offline.forceRefresh(caller.actingDomain(domain), userId, agentId).replaceWith(Response.noContent().build());
    }
}
