package org.countersign.provisioning.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.MalformedDeviceCodeException;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.provisioning.rest.OfflineActivationDtos.ActivateRequest;
import org.countersign.provisioning.rest.OfflineActivationDtos.ActivationState;
import org.countersign.provisioning.rest.OfflineActivationDtos.AddDeviceRequest;
import org.countersign.provisioning.rest.OfflineActivationDtos.AddDeviceResponse;
import org.countersign.provisioning.service.ActivationOutcome;
import org.countersign.provisioning.service.ActivationSteps;
import org.countersign.provisioning.service.OfflineActivationService;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.countersign.web.ProblemException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Offline activation with two images: OneSpan's "add device" and "activate", on a registration. */
@Path("/api/v1/registrations/{registrationId}")
@Tag(name = "offline activation")
@RolesAllowed({"provisioning", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@ProvisioningProblems
public class OfflineActivationResource {

    private final OfflineActivationService activations;
    private final ActivationSteps steps;
    private final Caller caller;
    private final JsonWebToken token;

    public OfflineActivationResource(OfflineActivationService activations, ActivationSteps steps, Caller caller,
                                     JsonWebToken token) {
        this.activations = activations;
        this.steps = steps;
        this.caller = caller;
        this.token = token;
    }

    @POST
    @Path("/device")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add the device: its device code in, activation message 2 out",
            description = "The device code is checked (14 digits, Luhn, below 2^40); a malformed one is a typo and uses no "
                    + "attempt. Activation message 2 carries the new instance secret, encrypted for that device. A second "
                    + "add-device on one registration is refused and counted as a failed attempt (protocol.md).")
    @APIResponse(responseCode = "200", description = "The instance id and activation message 2")
    @APIResponse(responseCode = "404", description = "No such registration in the domain (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A device was already added (activation-state-conflict), the "
            + "registration is closed, failed, or for another activation type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "The registration expired (registration-expired)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> addDevice(@PathParam("registrationId") @Pattern(regexp = Ids.ID) String registrationId,
                                   @NotNull @Valid AddDeviceRequest request, @QueryParam("domain") String domain) {
        DeviceCode deviceCode = parse(request.deviceCode());
        return activations.addDevice(caller.actingDomain(domain), registrationId, deviceCode, token.getRawToken())
                .map(outcome -> {
                    if (outcome instanceof ActivationOutcome.DeviceAdded added) {
                        return Response.ok(new AddDeviceResponse(added.activation().instanceId, added.activationMessage2()))
                                .header("Cache-Control", "no-store").build();
                    }
                    throw ActivationRefusals.of(outcome);
                });
    }

    @POST
    @Path("/activate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Activate: the signature the device shows after activation message 2",
            description = "The signature is compared in constant time. A wrong one is counted: after 5 (configurable) the "
                    + "activation fails for good, ActivationFailed is published, and the user must register again.")
    @APIResponse(responseCode = "200", description = "The active instance")
    @APIResponse(responseCode = "404", description = "No such registration in the domain (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No device added yet or already activated (activation-state-conflict), "
            + "failed for good (activation-failed), cancelled, or for another activation type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "The registration expired (registration-expired)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Wrong signature, counted (wrong-activation-signature)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<InstanceResponse> activate(@PathParam("registrationId") @Pattern(regexp = Ids.ID) String registrationId,
                                          @NotNull @Valid ActivateRequest request, @QueryParam("domain") String domain) {
        DeviceCode deviceCode = parse(request.deviceCode());
        return activations.activate(caller.actingDomain(domain), registrationId, deviceCode, request.signature(),
                token.getRawToken()).map(outcome -> {
                    if (outcome instanceof ActivationOutcome.Activated activated) {
                        return InstanceResponse.from(activated.instance());
                    }
                    throw ActivationRefusals.of(outcome);
                });
    }

    @GET
    @Path("/activation")
    @Operation(summary = "Where the activation of a registration stands",
            description = "Its type and status and the attempts left, for every kind of activation.")
    @APIResponse(responseCode = "200", description = "The activation")
    @APIResponse(responseCode = "404", description = "Not known here in the domain (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ActivationState> state(@PathParam("registrationId") @Pattern(regexp = Ids.ID) String registrationId,
                                      @QueryParam("domain") String domain) {
        return steps.state(caller.actingDomain(domain), registrationId).map(activation -> new ActivationState(
                activation.registrationId, activation.activationType, activation.status.name().toLowerCase(Locale.ROOT),
                activation.instanceId, steps.attemptsLeft(activation), activation.expiresAt));
    }

    private static DeviceCode parse(String typed) {
        try {
            return DeviceCode.parse(typed);
        } catch (MalformedDeviceCodeException e) {
            throw new ProblemException(ProvisioningProblem.INVALID_DEVICE_CODE, switch (e.reason()) {
                case NOT_DIGITS -> "A device code has only digits (and spaces between groups)";
                case WRONG_LENGTH -> "A device code has 14 digits";
                case CHECK_DIGIT -> "The device code's check digit does not match: a digit was mistyped";
                case OUT_OF_RANGE -> "No device shows this code: a digit was mistyped";
            } + "; no attempt was used");
        }
    }
}
