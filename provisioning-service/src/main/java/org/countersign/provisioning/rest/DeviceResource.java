package org.countersign.provisioning.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Locale;
import org.countersign.deviceauth.CurrentDevice;
import org.countersign.deviceauth.DeviceAuthenticated;
import org.countersign.deviceauth.DeviceIdentity;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.service.InstanceService;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What an online device may ask about itself, with its device token (protocol.md, "Device
 * authentication") rather than a client app's bearer token.
 */
@Path("/api/v1/devices/me")
@Tag(name = "devices")
@PermitAll
@DeviceAuthenticated
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {

    /** A device's own instance, as the device sees it. */
    @Schema(name = "DeviceInstance")
    public record DeviceResponse(
            String instanceId,
            String serialNumber,
            @Schema(description = "online") String mode,
            @Schema(description = "active") String status,
            @Schema(description = "The device certificate's serial number, lower-case hex") String certificateSerial,
            @Schema(description = "When the device certificate expires") Instant certificateNotAfter,
            @Schema(description = "android, ios, web or other") String platform) {

        static DeviceResponse from(AuthenticatorInstance instance) {
            return new DeviceResponse(instance.instanceId, instance.serialNumber, instance.mode.name().toLowerCase(Locale.ROOT),
                    instance.status.name().toLowerCase(Locale.ROOT), instance.certificateSerial, instance.certificateNotAfter,
                    instance.platform);
        }
    }

    private final InstanceService instances;
    private final CurrentDevice device;

    public DeviceResource(InstanceService instances, CurrentDevice device) {
        this.instances = instances;
        this.device = device;
    }

    @GET
    @Operation(summary = "The calling device's own instance",
            description = "Authenticated with the device token: ES256 with the device key, kid = instance id, aud "
                    + "countersign-push, at most 5 minutes long, each jti once.")
    @APIResponse(responseCode = "200", description = "The device's instance")
    @APIResponse(responseCode = "401", description = "No valid device token (invalid-device-token), whatever was wrong with it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DeviceResponse> me() {
        DeviceIdentity identity = device.identity();
        return instances.get(identity.domain(), identity.instanceId()).map(DeviceResponse::from);
    }
}
