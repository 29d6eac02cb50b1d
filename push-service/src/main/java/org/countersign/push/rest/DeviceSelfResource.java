package org.countersign.push.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.countersign.deviceauth.CurrentDevice;
import org.countersign.deviceauth.DeviceAuthenticated;
import org.countersign.push.service.DeviceMessages;
import org.countersign.push.service.DeviceService;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What a device asks for itself, with its device token, when it does not hold a channel: its pending
 * requests and configuration (the same messages the channel carries), its acknowledgement of a
 * configuration, and a new push token.
 */
@Path("/api/v1/devices/me")
@Tag(name = "devices")
@PermitAll
@DeviceAuthenticated
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "invalid-device-token, whatever was wrong with the token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class DeviceSelfResource {

    /** A poll's answer: the channel's push-request messages, oldest first, and a config message if one waits. */
    @Schema(name = "DevicePending")
    public record PendingResponse(List<DeviceMessages.PushRequestMessage> requests,
                                  @Schema(description = "Absent when the device acknowledged the latest configuration")
                                  DeviceMessages.ConfigMessage config) {
    }

    /** The configuration version the device applied. */
    @Schema(name = "ConfigAck")
    public record ConfigAckRequest(@NotNull @Min(0) Integer version) {
    }

    /** A new FCM registration token or APNs device token. */
    @Schema(name = "PushTokenUpdate")
    public record PushTokenRequest(@NotNull @Pattern(regexp = "[\\x21-\\x7E]{1,4096}") String pushToken) {
    }

    private final DeviceService devices;
    private final CurrentDevice device;

    public DeviceSelfResource(DeviceService devices, CurrentDevice device) {
        this.devices = devices;
        this.device = device;
    }

    @GET
    @Path("/pending")
    @Operation(operationId = "pollDevice", summary = "What the device would be sent over its channel",
            description = "For devices that cannot hold a channel, and after a wake-up: the open push requests this device "
                    + "was sent (protocol.md's push-request objects) and the configuration it has not acknowledged. Counts as "
                    + "a contact (last sync).")
    @APIResponse(responseCode = "200", description = "The pending messages")
    public Uni<PendingResponse> pending() {
        return devices.poll(device.identity()).map(p -> new PendingResponse(p.requests(), p.config()));
    }

    @POST
    @Path("/config-ack")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "acknowledgeDeviceConfig", summary = "The device applied a configuration version",
            description = "The listing then shows it acknowledged. An older version than the last acknowledged changes nothing.")
    @APIResponse(responseCode = "204", description = "Recorded")
    @APIResponse(responseCode = "409", description = "unknown-config-version: never sent to this device",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> acknowledge(@NotNull @Valid ConfigAckRequest ack) {
        return devices.acknowledge(device.identity(), ack.version()).replaceWith(Response.noContent().build());
    }

    @PUT
    @Path("/push-token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updatePushToken", summary = "A new FCM or APNs token for wake-ups",
            description = "Replaces the token the activation gave (or one FCM/APNs no longer knows); wake-ups resume.")
    @APIResponse(responseCode = "204", description = "Recorded")
    @APIResponse(responseCode = "400", description = "invalid-push-token: an iOS device's token is not an APNs token (hex)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> pushToken(@NotNull @Valid PushTokenRequest request) {
        return devices.pushToken(device.identity(), request.pushToken()).replaceWith(Response.noContent().build());
    }
}
