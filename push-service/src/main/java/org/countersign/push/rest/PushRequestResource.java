package org.countersign.push.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.countersign.deviceauth.CurrentDevice;
import org.countersign.deviceauth.DeviceAuthenticated;
import org.countersign.push.config.PushConfig;
import org.countersign.push.domain.PushUser;
import org.countersign.push.service.AnswerService;
import org.countersign.push.service.PushLimits;
import org.countersign.push.service.PushRequestService;
import org.countersign.push.service.RequestView;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Push requests: apps create and watch them (scope push), devices answer them (device token).
 * protocol.md, "Push requests".
 */
@Path("/api/v1/push/requests")
@Tag(name = "push requests")
@Produces(MediaType.APPLICATION_JSON)
public class PushRequestResource {

    private final PushRequestService requests;
    private final AnswerService answers;
    private final Caller caller;
    private final CurrentDevice device;
    private final PushConfig config;

    public PushRequestResource(PushRequestService requests, AnswerService answers, Caller caller, CurrentDevice device,
                               PushConfig config) {
        this.requests = requests;
        this.answers = answers;
        this.caller = caller;
        this.device = device;
        this.config = config;
    }

    @POST
    @RolesAllowed({"push", Caller.ADMIN_SCOPE})
    @Consumes(MediaType.APPLICATION_JSON)
    @PushProblems
    @Operation(operationId = "createPushRequest", summary = "Ask a user to approve something on a device",
            description = "Sends protocol.md's push request to each of the user's devices that accept push (over its channel, "
                    + "or with an FCM/APNs wake-up so that it fetches it). With number matching (the default) the answer has "
                    + "displayNumber: show it to the user, who picks it among three on the device. Then watch the status: "
                    + "GET with ?wait=, or the events stream.")
    @APIResponse(responseCode = "201", description = "Pending",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PushRequestCreated.class)))
    @APIResponse(responseCode = "409", description = "push-not-enabled, no-push-device or no-biometric-device",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "too-many-open-push-requests; Retry-After says when the open one ends",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(@NotNull @Valid CreatePushRequest request, @QueryParam("domain") String domain) {
        List<String[]> fields = request.fields() == null ? List.of()
                : request.fields().stream().map(f -> new String[] {f.name(), f.value()}).toList();
        return requests.create(caller.actingDomain(domain), request.userId(), request.message(), fields, request.ttlSeconds(),
                        request.numberMatching())
                .map(created -> Response.created(URI.create("/api/v1/push/requests/" + created.requestId()))
                        .type(MediaType.APPLICATION_JSON)
                        .entity(new PushRequestCreated(created.requestId(), "pending", created.expiresAt(), created.displayNumber()))
                        .build());
    }

    @GET
    @RolesAllowed({"push", Caller.ADMIN_SCOPE})
    @PushProblems
    @Operation(operationId = "listPendingPushRequests", summary = "A user's pending push requests",
            description = "For a page of the user's own (the self-service portal): each request still waiting for an answer and "
                    + "in time, newest first, as GET /{requestId} answers it plus its message and fields, so that the user sees "
                    + "what is asked and the number to pick on the device. Only status=pending is listed (answered and expired "
                    + "requests keep no message); at most " + PushLimits.MAX_LISTED_PENDING + ", the highest "
                    + "countersign.push.requests.max-open-per-user allows. Another domain's user of the same id lists nothing.")
    @APIResponse(responseCode = "200", description = "The pending requests, newest first (an empty array when there are none)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PushRequestResponse.class)))
    public Uni<List<PushRequestResponse>> listPending(
            @QueryParam("userId") @NotNull @Pattern(regexp = PushUser.ID_PATTERN)
            @Parameter(description = "The user, within the caller's domain", required = true) String userId,
            @QueryParam("status") @NotNull @Pattern(regexp = "pending", message = "only pending requests are listed")
            @Parameter(description = "pending, the only status listed", required = true,
                    schema = @Schema(type = SchemaType.STRING, enumeration = "pending")) String status,
            @QueryParam("domain") String domain) {
        // status is only checked: pending is all there is to list (answered and expired requests keep no message).
        return requests.listPending(caller.actingDomain(domain), userId)
                .map(list -> list.stream().map(PushRequestResponse::from).toList());
    }

    @GET
    @Path("/{requestId}")
    @RolesAllowed({"push", Caller.ADMIN_SCOPE})
    @PushProblems
    @Operation(operationId = "getPushRequest", summary = "A push request's status, at once or after a long-poll",
            description = "With ?wait=N (seconds, at most countersign.push.requests.max-wait-seconds, 30; more is cut to it) the "
                    + "answer waits until the status leaves pending, the request expires or N seconds pass, whichever is first.")
    @APIResponse(responseCode = "200", description = "pending, approved, denied or expired")
    @APIResponse(responseCode = "404", description = "unknown-push-request (another domain's is unknown too)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<PushRequestResponse> get(@PathParam("requestId") @Pattern(regexp = Ids.ID) String requestId,
                                        @QueryParam("wait") @DefaultValue("0") @Min(0) @Max(3600) int wait,
                                        @QueryParam("domain") String domain) {
        return requests.awaitStatus(caller.actingDomain(domain), requestId, Math.min(wait, config.requests().maxWaitSeconds()))
                .map(PushRequestResponse::from);
    }

    @GET
    @Path("/{requestId}/events")
    @RolesAllowed({"push", Caller.ADMIN_SCOPE})
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @PushProblems
    @Operation(operationId = "streamPushRequest", summary = "A push request's status as Server-Sent Events",
            description = "One event (data: the status JSON) at once, one at each change and one at least every 25 s; the "
                    + "stream ends after the final status (approved, denied or expired).")
    @APIResponse(responseCode = "200", description = "text/event-stream of statuses",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = PushRequestResponse.class)))
    @APIResponse(responseCode = "404", description = "unknown-push-request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Void> events(@PathParam("requestId") @Pattern(regexp = Ids.ID) String requestId, @QueryParam("domain") String domain,
                            @Context SseEventSink sink, @Context Sse sse) {
        // A sink rather than a returned Multi: Quarkus REST sends a Multi's SSE headers before its first item, so an
        // unknown request could not be a 404 problem any more. The Uni fails (404) before anything is sent.
        return requests.stream(caller.actingDomain(domain), requestId).invoke(statuses -> pipe(statuses, sink, sse)).replaceWithVoid();
    }

    /** Sends each status as one event, and ends the stream after the last; stops when the client has gone. */
    private static void pipe(Multi<RequestView> statuses, SseEventSink sink, Sse sse) {
        AtomicReference<Cancellable> subscription = new AtomicReference<>();
        subscription.set(statuses.subscribe().with(view -> {
            if (sink.isClosed()) {
                cancel(subscription);
                return;
            }
            sink.send(sse.newEventBuilder().mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(PushRequestResponse.class, PushRequestResponse.from(view)).build()).whenComplete((ok, failure) -> {
                        if (failure != null) {
                            cancel(subscription);
                        }
                    });
        }, failure -> sink.close(), sink::close));
    }

    private static void cancel(AtomicReference<Cancellable> subscription) {
        Cancellable cancellable = subscription.get();
        if (cancellable != null) {
            cancellable.cancel();
        }
    }

    @POST
    @Path("/{requestId}/response")
    @PermitAll
    @DeviceAuthenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "answerPushRequest", summary = "A device approves or denies a push request",
            description = "Device token (protocol.md, \"Device authentication\"). Only a device the request was sent to may "
                    + "answer, once, in time, with protocol.md's signature; approving with the wrong number is a denial.")
    @APIResponse(responseCode = "200", description = "Recorded: approved or denied (reason wrong-number when the number was wrong)")
    @APIResponse(responseCode = "400", description = "Malformed input, or selectedNumber for a request without number matching",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "invalid-device-token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "unknown-push-request: none, another user's or domain's, or one this device was not sent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "push-request-answered: it was answered already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "push-request-expired",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "invalid-push-signature",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AnswerResponse> answer(@PathParam("requestId") @Pattern(regexp = Ids.ID) String requestId,
                                      @NotNull @Valid AnswerPushRequest answer) {
        return answers.answer(device.identity(), requestId, answer.decision(), answer.selectedNumber(), answer.signature())
                .map(AnswerResponse::from);
    }
}
