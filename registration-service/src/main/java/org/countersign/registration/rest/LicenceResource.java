package org.countersign.registration.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.countersign.registration.service.LicenceService;
import org.countersign.registration.service.NewLicence;
import org.countersign.registration.service.PskcImportService;
import org.countersign.registration.domain.PskcCredentials;
import org.countersign.registration.domain.RegistrationProblem;
import org.countersign.secrets.Secret;
import org.countersign.web.ProblemException;
import java.util.HexFormat;
import org.countersign.web.Caller;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The licence inventory of the caller's domain. */
@Path("/api/v1/licences")
@Tag(name = "licences")
@RolesAllowed({"registration", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@CommonProblems
public class LicenceResource {

    static final String PSKC = "application/pskc+xml";
    static final String PASSWORD_HEADER = "X-PSKC-Password";
    static final String KEY_HEADER = "X-PSKC-Key";

    private final LicenceService licences;
    private final PskcImportService pskc;
    private final Caller caller;

    public LicenceResource(LicenceService licences, PskcImportService pskc, Caller caller) {
        this.licences = licences;
        this.pskc = pskc;
        this.caller = caller;
    }

    @POST
    @Path("/pskc")
    @Consumes({PSKC, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    @Operation(summary = "Add hardware tokens from a PSKC document (RFC 6030)",
            description = "Plain keys, or keys encrypted with a password (PBKDF2, header X-PSKC-Password) or a pre-shared "
                    + "key (hex, header X-PSKC-Key); the MAC is checked. Each token becomes an SDL licence; its seed goes to "
                    + "the otp-service sealed, and is never stored here. All or nothing.")
    @APIResponse(responseCode = "201", description = "Imported",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LicenceResponse.Imported.class)))
    @APIResponse(responseCode = "400", description = "Malformed or hostile document, wrong password or MAC (invalid-pskc)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A serial number is already in the inventory",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> importPskc(byte[] document,
                                    @QueryParam("authenticatorType") @DefaultValue("hardware-token")
                                    @Pattern(regexp = Patterns.TYPE) String authenticatorType,
                                    @HeaderParam(PASSWORD_HEADER) String password,
                                    @HeaderParam(KEY_HEADER) @Pattern(regexp = "([0-9a-fA-F]{2}){16,32}") String preSharedKey,
                                    @QueryParam("domain") String domain) {
        String acting = caller.actingDomain(domain);
        if (document == null || document.length == 0) {
            throw new ProblemException(RegistrationProblem.INVALID_PSKC, "The body is empty");
        }
        PskcCredentials credentials = password != null ? PskcCredentials.password(password.toCharArray())
                : preSharedKey != null ? PskcCredentials.preSharedKey(Secret.copyOf(HexFormat.of().parseHex(preSharedKey)))
                : PskcCredentials.none();
        return pskc.importDocument(acting, authenticatorType, document, credentials)
                .map(created -> Response.status(Response.Status.CREATED).entity(new LicenceResponse.Imported(created.size(),
                        created.stream().map(l -> l.serialNumber).toList())).build());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add licences from a JSON batch", description = "All or nothing.")
    @APIResponse(responseCode = "201", description = "Added",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LicenceResponse.Imported.class)))
    @APIResponse(responseCode = "409", description = "A serial number is already in the inventory or twice in the batch",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> importBatch(@NotNull @Valid LicenceBatchRequest request, @QueryParam("domain") String domain) {
        return licences.importBatch(caller.actingDomain(domain), request.licences().stream()
                        .map(i -> new NewLicence(i.serialNumber(), i.authenticatorType(), i.licenceModel(), i.maxActivations()))
                        .toList(), "json")
                .map(created -> Response.status(Response.Status.CREATED).entity(new LicenceResponse.Imported(created.size(),
                        created.stream().map(l -> l.serialNumber).toList())).build());
    }

    @GET
    @Operation(summary = "Licences of the domain, filtered and paged")
    @APIResponse(responseCode = "200", description = "A page of licences")
    public Uni<LicenceResponse.Page> search(@QueryParam("type") @Pattern(regexp = Patterns.TYPE) String type,
                                            @QueryParam("status") @Pattern(regexp = "ACTIVE|REVOKED") String status,
                                            @QueryParam("userId") @Pattern(regexp = Patterns.USER_ID) String userId,
                                            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100000) int page,
                                            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size,
                                            @QueryParam("domain") String domain) {
        return licences.search(caller.actingDomain(domain), type, status, userId, page, size)
                .map(list -> new LicenceResponse.Page(list.stream().map(LicenceResponse::from).toList(), page, size));
    }

    @GET
    @Path("/{serialNumber}")
    @Operation(summary = "One licence and its activation accounting")
    @APIResponse(responseCode = "200", description = "The licence")
    @APIResponse(responseCode = "404", description = "No such licence in the domain (unknown-licence)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<LicenceResponse> get(@PathParam("serialNumber") @Pattern(regexp = Patterns.ID) String serialNumber,
                                    @QueryParam("domain") String domain) {
        return licences.get(caller.actingDomain(domain), serialNumber).map(LicenceResponse::from);
    }

    @PUT
    @Path("/{serialNumber}/assignment")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Assign a licence to a user of the domain")
    @APIResponse(responseCode = "200", description = "The licence")
    @APIResponse(responseCode = "404", description = "Unknown licence or user (unknown-licence, unknown-user)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Assigned to another user, or revoked",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<LicenceResponse> assign(@PathParam("serialNumber") @Pattern(regexp = Patterns.ID) String serialNumber,
                                       @NotNull @Valid AssignmentRequest request, @QueryParam("domain") String domain) {
        return licences.assign(caller.actingDomain(domain), serialNumber, request.userId()).map(LicenceResponse::from);
    }

    @DELETE
    @Path("/{serialNumber}/assignment")
    @Operation(summary = "Free a licence that has no activation used or reserved")
    @APIResponse(responseCode = "200", description = "The licence")
    @APIResponse(responseCode = "404", description = "Unknown licence (unknown-licence)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "It has activations in use (licence-in-use)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<LicenceResponse> unassign(@PathParam("serialNumber") @Pattern(regexp = Patterns.ID) String serialNumber,
                                         @QueryParam("domain") String domain) {
        return licences.unassign(caller.actingDomain(domain), serialNumber).map(LicenceResponse::from);
    }
}
