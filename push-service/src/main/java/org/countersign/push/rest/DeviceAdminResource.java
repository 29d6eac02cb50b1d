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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.countersign.push.domain.AuthType;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.PushUser;
import org.countersign.push.service.DeviceService;
import org.countersign.web.Caller;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's helpdesk view of online devices (seed 000: "Last sync", remote configuration of authentication types). */
@Path("/api/v1/devices")
@Tag(name = "devices")
@RolesAllowed({Caller.SERVICE_ADMIN_SCOPE, Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@PushProblems
public class DeviceAdminResource {

    /** An online device, as an admin sees it. */
    @Schema(name = "Device")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeviceResponse(
            String instanceId,
            String serialNumber,
            @Schema(description = "android, ios, web or other") String platform,
            String deviceName,
            @Schema(description = "Whether the app declared biometric protection of its key") boolean biometric,
            @Schema(description = "Whether its channel is open now") boolean connected,
            @Schema(description = "Its last contact (channel, poll, answer), to about a minute") Instant lastSyncAt,
            @Schema(description = "otp, push, signature") List<String> authTypes,
            Config config,
            @Schema(description = "fcm, apns, none (web and other platforms, or no token), or disabled (FCM/APNs no longer "
                    + "knows the token)") String wakeUps,
            Instant activatedAt) {

        static DeviceResponse from(Device device, boolean connected) {
            String wakeUps = device.pushToken == null || device.platform == org.countersign.push.domain.Platform.WEB
                    || device.platform == org.countersign.push.domain.Platform.OTHER ? "none"
                    : device.pushTokenDisabledAt != null ? "disabled"
                    : device.platform == org.countersign.push.domain.Platform.ANDROID ? "fcm" : "apns";
            return new DeviceResponse(device.instanceId, device.serialNumber, device.platform.wire(), device.deviceName,
                    device.biometric, connected, device.lastSyncAt, AuthType.wireNames(device.authTypes()),
                    new Config(device.configVersion, device.configChangedAt, device.configAckedVersion, device.configAckedAt,
                            device.configPending()), wakeUps, device.activatedAt);
        }
    }

    /** Where the admin's configuration stands: version 0 is the default, never changed. */
    @Schema(name = "DeviceConfigState")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Config(int version, Instant changedAt, int acknowledgedVersion, Instant acknowledgedAt,
                         @Schema(description = "Whether the device has yet to acknowledge the current version") boolean pending) {
    }

    /** The authentication types a device offers. */
    @Schema(name = "DeviceConfigRequest")
    public record ConfigRequest(@Schema(description = "Any of otp, push, signature; push off means no push requests")
                                @NotNull @Size(max = 3) List<@NotNull @Pattern(regexp = "otp|push|signature") String> authTypes) {
    }

    private final DeviceService devices;
    private final Caller caller;

    public DeviceAdminResource(DeviceService devices, Caller caller) {
        this.devices = devices;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listDevices", summary = "A user's online devices",
            description = "Active ones, oldest first: platform, name, biometric, connected or not, last sync, authentication "
                    + "types and whether the device acknowledged them.")
    @APIResponse(responseCode = "200", description = "The devices")
    public Uni<List<DeviceResponse>> list(@QueryParam("userId") @NotNull @Pattern(regexp = PushUser.ID_PATTERN) String userId,
                                          @QueryParam("domain") String domain) {
        return devices.list(caller.actingDomain(domain), userId)
                .map(list -> list.stream().map(l -> DeviceResponse.from(l.device(), l.connected())).toList());
    }

    @PUT
    @Path("/{instanceId}/config")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "configureDevice", summary = "Set the authentication types a device offers",
            description = "A new configuration version, sent over the device's channel now or with its next poll or connection; "
                    + "the listing shows when the device acknowledged it.")
    @APIResponse(responseCode = "200", description = "The device, with its configuration pending")
    @APIResponse(responseCode = "404", description = "unknown-device",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DeviceResponse> configure(@PathParam("instanceId") @Pattern(regexp = Ids.ID) String instanceId,
                                         @NotNull @Valid ConfigRequest request, @QueryParam("domain") String domain) {
        Set<AuthType> types = EnumSet.noneOf(AuthType.class);
        request.authTypes().forEach(t -> types.add(AuthType.fromWire(t)));
        return devices.configure(caller.actingDomain(domain), instanceId, types)
                .map(l -> DeviceResponse.from(l.device(), l.connected()));
    }
}
