package org.countersign.push.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.countersign.push.config.PushConfig;
import org.countersign.push.domain.BulkJob;
import org.countersign.push.domain.PushUser;
import org.countersign.push.service.PushUserService;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Users' push settings (seed 000: "Enable Mobile Push Authentication", "Require Biometric"), one by one or in bulk. */
@Path("/api/v1/push/users")
@Tag(name = "push users")
@RolesAllowed({Caller.SERVICE_ADMIN_SCOPE, Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@PushProblems
public class PushUserResource {

    /** One user's settings. */
    @Schema(name = "PushUserSettingsRequest")
    public record SettingsRequest(@Schema(description = "Whether the user may be sent push requests") @NotNull Boolean enabled,
                                  @Schema(description = "Only devices with biometric protection; unchanged when absent")
                                  Boolean requireBiometric) {
    }

    /** A user's settings. */
    @Schema(name = "PushUserSettings")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SettingsResponse(String userId, boolean enabled, boolean requireBiometric, Instant updatedAt) {
        static SettingsResponse from(PushUserService.Settings s) {
            return new SettingsResponse(s.userId(), s.enabled(), s.requireBiometric(), s.updatedAt());
        }
    }

    /** Many users' settings at once. */
    @Schema(name = "PushUsersBulkRequest")
    public record BulkRequest(
            @Schema(description = "Up to 10,000 user ids (countersign.push.bulk.max-users); malformed and repeated ones are "
                    + "reported as failed, the others applied; a null entry refuses the whole call, as any other "
                    + "body that is not the documented JSON") @NotNull @Size(min = 1) List<@NotNull String> userIds,
            @NotNull Boolean enabled,
            @Schema(description = "Unchanged for each user when absent") Boolean requireBiometric) {
    }

    /** A bulk job's progress. */
    @Schema(name = "PushUsersBulkJob")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobResponse(
            String jobId,
            @Schema(description = "running, done, or failed (given up: see failureReason)") String status,
            int total,
            @Schema(description = "Users applied") int done,
            @Schema(description = "Entries that could not be applied") int failed,
            @Schema(description = "The failed entries, in list order, at most 1,000: index in userIds, the user id when it is "
                    + "one, and why (invalid-user-id, duplicate-user-id)") List<Failure> failures,
            Instant createdAt,
            Instant finishedAt,
            @Schema(description = "When failed: apply-failed (a chunk of users failed countersign.push.bulk.max-attempts times in "
                    + "a row; the users counted in done stay applied, the others were not)") String failureReason) {

        static JobResponse from(BulkJob job, List<Failure> failures) {
            return new JobResponse(job.id, job.status.toLowerCase(Locale.ROOT), job.total, job.done, job.failed, failures,
                    job.createdAt, job.finishedAt, job.failureReason);
        }
    }

    /** One entry of a bulk job that failed. */
    @Schema(name = "PushUsersBulkFailure")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(int index, String userId, String reason) {
    }

    private final PushUserService users;
    private final Caller caller;
    private final PushConfig config;

    public PushUserResource(PushUserService users, Caller caller, PushConfig config) {
        this.users = users;
        this.caller = caller;
        this.config = config;
    }

    @PUT
    @Path("/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setPushUser", summary = "Enable or disable push for a user, and Require Biometric",
            description = "PushEnabledChanged when something changed.")
    @APIResponse(responseCode = "200", description = "The user's settings")
    public Uni<SettingsResponse> set(@PathParam("userId") @Pattern(regexp = PushUser.ID_PATTERN) String userId,
                                     @NotNull @Valid SettingsRequest request, @QueryParam("domain") String domain) {
        return users.set(caller.actingDomain(domain), userId, request.enabled(), request.requireBiometric())
                .map(SettingsResponse::from);
    }

    @GET
    @Path("/{userId}")
    @Operation(operationId = "getPushUser", summary = "A user's push settings (the defaults when none were set)")
    @APIResponse(responseCode = "200", description = "The user's settings")
    public Uni<SettingsResponse> get(@PathParam("userId") @Pattern(regexp = PushUser.ID_PATTERN) String userId,
                                     @QueryParam("domain") String domain) {
        return users.get(caller.actingDomain(domain), userId).map(SettingsResponse::from);
    }

    @POST
    @Path("/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setPushUsersInBulk", summary = "Enable or disable push for many users at once",
            description = "Answers 202 at once with a job; the users are applied in chunks, off the request, by any replica "
                    + "(a restart does not lose the job). Follow it with GET .../bulk/{jobId}.")
    @APIResponse(responseCode = "202", description = "The job, running",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobResponse.class)))
    @APIResponse(responseCode = "429", description = "too-many-bulk-jobs: the domain has countersign.push.bulk.max-running-per-domain "
            + "(3) running jobs; Retry-After says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "payload-too-large: the body is over 4 MB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> bulk(@NotNull @Valid BulkRequest request, @QueryParam("domain") String domain) {
        String acting = caller.actingDomain(domain);
        if (request.userIds().size() > config.bulk().maxUsers()) {
            throw new ProblemException(ProblemType.VALIDATION, "At most " + config.bulk().maxUsers() + " user ids per call");
        }
        return users.bulk(acting, request.userIds(), request.enabled(), request.requireBiometric())
                .map(job -> Response.accepted(JobResponse.from(job, List.of()))
                        .location(URI.create("/api/v1/push/users/bulk/" + job.id)).type(MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Path("/bulk/{jobId}")
    @Operation(operationId = "getPushUsersBulkJob", summary = "A bulk job's progress")
    @APIResponse(responseCode = "200", description = "total, done, failed, and the failures")
    @APIResponse(responseCode = "404", description = "unknown-bulk-job (another domain's is unknown too)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JobResponse> job(@PathParam("jobId") @Pattern(regexp = Ids.ID) String jobId, @QueryParam("domain") String domain) {
        return users.report(caller.actingDomain(domain), jobId).map(report -> JobResponse.from(report.job(),
                report.failures().stream().map(f -> new Failure(f.position(), f.userId(), f.reason())).toList()));
    }
}
