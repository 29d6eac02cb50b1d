package org.countersign.provisioning.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import org.countersign.protocol.SealedInstanceSecret;
import org.countersign.provisioning.rest.OnlineActivationDtos.ConfirmRequest;
import org.countersign.provisioning.rest.OnlineActivationDtos.EnrolRequest;
import org.countersign.provisioning.rest.OnlineActivationDtos.EnrolResponse;
import org.countersign.provisioning.service.ActivationOutcome;
import org.countersign.provisioning.service.OnlineActivationService;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Online activation by the device itself (protocol.md, "Online activation"). The device has no bearer
 * token: these two routes alone are open, and what authenticates the device is its proof, keyed with
 * the activation password; failures only its holder could have sent are counted per registration.
 */
@Path("/api/v1/online-activations")
@Tag(name = "online activation")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class OnlineActivationResource {

    private final OnlineActivationService activations;

    public OnlineActivationResource(OnlineActivationService activations) {
        this.activations = activations;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enrol a device key: CSR and proof in, device certificate and sealed instance secret out",
            description = "No bearer token: the proof, keyed with the activation password, authenticates the device. "
                    + "Checked in order: the registration is pending and of type online or migrate; the proof, in constant "
                    + "time (a wrong one is refused but not counted); the CSR's own signature; its P-256 key; its subject "
                    + "CN=<serial number>. A second enrolment on one registration is refused, and counted when its proof is "
                    + "right (after 5 failed attempts the activation fails for good). For a migration the instance keeps its id and secret: epk, n and c are absent.")
    @APIResponse(responseCode = "201", description = "The device certificate, the CA certificate, and IS sealed to the device key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EnrolResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed input (validation), a CSR that is not DER PKCS#10 (invalid-csr), "
            + "not signed by its key (wrong-csr-signature), not P-256 (unsupported-device-key), or whose subject is not the "
            + "serial number (wrong-csr-subject); none of these is counted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such registration (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already enrolled or activated (activation-state-conflict), failed for good "
            + "(activation-failed), cancelled, an offline or otpauth registration (wrong-activation-type), or a migration of an "
            + "instance that is another user's, revoked or already online (instance-not-migratable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "The registration expired (registration-expired)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Wrong proof, not counted (wrong-activation-proof)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "No device CA is configured (device-ca-unavailable), or the registration is "
            + "not known yet and too many device calls already wait for theirs (device-calls-waiting, Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> enrol(@NotNull @Valid EnrolRequest request) {
        return activations.enrol(request.registrationId(), request.csr(), request.proof(), new OnlineActivationService.Device(
                        request.platform(), request.pushToken(), request.deviceName(), request.biometric()))
                .map(outcome -> {
                    if (outcome instanceof ActivationOutcome.Enrolled enrolled) {
                        SealedInstanceSecret sealed = enrolled.sealedSecret();
                        return Response.status(Response.Status.CREATED).header("Cache-Control", "no-store")
                                .entity(new EnrolResponse(enrolled.activation().instanceId, base64url(enrolled.certificate()),
                                        base64url(enrolled.caCertificate()), enrolled.activation().otp,
                                        sealed == null ? null : sealed.epk(), sealed == null ? null : sealed.n(),
                                        sealed == null ? null : sealed.c(), enrolled.pushChannel()))
                                .build();
                    }
                    throw ActivationRefusals.of(outcome);
                });
    }

    @POST
    @Path("/{registrationId}/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Confirm an enrolment: the code and the device's signature",
            description = "No bearer token. The instance is active only once both the code (from K_proof and h) and the ECDSA "
                    + "signature with the enrolled key check out. A signature that does not verify under the enrolled key is "
                    + "refused and not counted; a wrong code or instance id with a verifying signature is counted. A second "
                    + "confirmation is a 409.")
    @APIResponse(responseCode = "200", description = "The active instance")
    @APIResponse(responseCode = "400", description = "Malformed input (validation), not counted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such registration (unknown-registration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not enrolled yet or already activated (activation-state-conflict), failed "
            + "for good (activation-failed), cancelled, of another type, or (migration) the instance was revoked or moved online "
            + "meanwhile (instance-not-migratable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "The registration expired (registration-expired)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A signature that does not verify under the enrolled key (not counted), or "
            + "a wrong code or instance id under a verifying signature (counted) (wrong-activation-signature)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The registration is not known yet and too many device calls already wait "
            + "for theirs (device-calls-waiting, Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<InstanceResponse> confirm(@PathParam("registrationId") @Pattern(regexp = Ids.ID) String registrationId,
                                         @NotNull @Valid ConfirmRequest request) {
        return activations.confirm(registrationId, request.instanceId(), request.code(), request.signature()).map(outcome -> {
            if (outcome instanceof ActivationOutcome.Activated activated) {
                return InstanceResponse.from(activated.instance());
            }
            throw ActivationRefusals.of(outcome);
        });
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
