package org.countersign.push.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersign.deviceauth.DeviceIdentity;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.DeviceConnected;
import org.countersign.events.payload.DeviceDisconnected;
import org.countersign.push.domain.AuthType;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.Platform;
import org.countersign.push.domain.PushProblem;
import org.countersign.push.repository.DeviceRepository;
import org.countersign.push.repository.PushRequestQueries;
import org.countersign.web.ProblemException;
import org.jboss.logging.Logger;

/**
 * Devices as admins and devices themselves see them: the listing with presence and "last sync", the
 * authentication types an admin sets and the device acknowledges, what a device polls, its push token,
 * and the records of its channel opening and closing.
 */
@ApplicationScoped
public class DeviceService {

    /** A device with whether its channel is open on a live replica. */
    public record Listed(Device device, boolean connected) {
    }

    /** What a device is waiting for: its open requests, and a configuration it has not acknowledged. */
    public record Pending(List<DeviceMessages.PushRequestMessage> requests, DeviceMessages.ConfigMessage config) {
    }

    private static final Logger LOG = Logger.getLogger(DeviceService.class);

    private final DeviceRepository devices;
    private final PushRequestQueries queries;
    private final ReplicaBus bus;
    private final Delivery delivery;
    private final DeviceMessages messages;
    private final LastSync lastSync;
    private final Outbox outbox;
    private final Clock clock;

    public DeviceService(DeviceRepository devices, PushRequestQueries queries, ReplicaBus bus, Delivery delivery,
                         DeviceMessages messages, LastSync lastSync, Outbox outbox, Clock clock) {
        this.devices = devices;
        this.queries = queries;
        this.bus = bus;
        this.delivery = delivery;
        this.messages = messages;
        this.lastSync = lastSync;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A user's active devices, oldest first, each with its presence (Redis; not connected when Redis cannot say). */
    public Uni<List<Listed>> list(String domain, String userId) {
        return Panache.withSession(() -> devices.listActiveForUser(domain, userId)).chain(list -> bus.connected(
                        list.stream().map(d -> d.instanceId).toList())
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("Presence unknown (Redis: %s)", e.toString());
                    return Map.of();
                })
                .map(connected -> list.stream().map(d -> new Listed(d, connected.getOrDefault(d.instanceId, false))).toList()));
    }

    /**
     * Sets a device's authentication types: a new configuration version, sent to the device now if its
     * channel is open, or with its next poll or connection, until it acknowledges it.
     */
    public Uni<Listed> configure(String domain, String instanceId, Set<AuthType> authTypes) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> devices.findActiveIn(domain, instanceId).map(device -> {
                    if (device == null) {
                        throw unknownDevice(instanceId);
                    }
                    device.authTypes = AuthType.toColumn(authTypes);
                    device.configVersion++;
                    device.configChangedAt = now;
                    return device;
                }))
                .call(device -> delivery.toDevice(device.instanceId, messages.json(messages.config(device)), null, null))
                .chain(device -> bus.connected(List.of(device.instanceId)).onFailure().recoverWithItem(Map.of())
                        .map(connected -> new Listed(device, connected.getOrDefault(device.instanceId, false))));
    }

    /** The device's acknowledgement of a configuration version; an older one changes nothing, an unknown one is a 409. */
    public Uni<Void> acknowledge(DeviceIdentity identity, int version) {
        lastSync.contact(identity.instanceId());
        Instant now = clock.instant();
        return Panache.withTransaction(() -> devices.findById(identity.instanceId()).chain(device -> {
            if (device == null || !device.isActive()) {
                throw unknownDevice(identity.instanceId());
            }
            if (version > device.configVersion || version < 0) {
                throw new ProblemException(PushProblem.UNKNOWN_CONFIG_VERSION, "The device was sent configuration version "
                        + device.configVersion + " at most");
            }
            if (version <= device.configAckedVersion) {
                return Uni.createFrom().voidItem();
            }
            device.configAckedVersion = version;
            device.configAckedAt = now;
            return Uni.createFrom().voidItem();
        }));
    }

    /** What the device would be sent over its channel: its open requests and an unacknowledged configuration. */
    public Uni<Pending> pending(String instanceId) {
        return queries.findDevicePending(instanceId, clock.instant()).map(found -> {
            if (found == null || !found.device().isActive()) {
                throw unknownDevice(instanceId);
            }
            Device device = found.device();
            List<DeviceMessages.PushRequestMessage> open = device.acceptsPush()
                    ? found.open().stream().map(messages::pushRequest).toList() : List.of();
            return new Pending(open, device.configPending() ? messages.config(device) : null);
        });
    }

    /** A poll: a contact, then what is pending. */
    public Uni<Pending> poll(DeviceIdentity identity) {
        lastSync.contact(identity.instanceId());
        return pending(identity.instanceId());
    }

    /** A new FCM or APNs token from the device: wake-ups resume. */
    public Uni<Void> pushToken(DeviceIdentity identity, String pushToken) {
        lastSync.contact(identity.instanceId());
        return Panache.withTransaction(() -> devices.findById(identity.instanceId()).invoke(device -> {
            if (device == null || !device.isActive()) {
                throw unknownDevice(identity.instanceId());
            }
            if (device.platform == Platform.IOS && !Device.APNS_TOKEN.matcher(pushToken).matches()) {
                throw new ProblemException(PushProblem.INVALID_PUSH_TOKEN, "An iOS device's push token is its APNs device token:"
                        + " hex digits, an even number of them (16 to 400)");
            }
            device.pushToken = pushToken;
            device.pushTokenDisabledAt = null;
        })).replaceWithVoid();
    }

    /** The channel opened: "last sync" now, and DeviceConnected. */
    public Uni<Void> connected(ChannelConnection connection) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> devices.findById(connection.instanceId()).chain(device -> {
            if (device == null) {
                return Uni.createFrom().voidItem();
            }
            device.lastSyncAt = now;
            return outbox.add(new EventDraft(DeviceConnected.TYPE, EventKey.of(connection.userId(), connection.domain()),
                    "device/" + connection.instanceId(), new DeviceConnected(connection.instanceId(), connection.userId(),
                            connection.domain(), connection.connectionId(), now))).replaceWithVoid();
        })).invoke(() -> lastSync.written(connection.instanceId(), now));
    }

    /** The channel closed, and no newer connection of the device had taken its place: DeviceDisconnected. */
    public Uni<Void> disconnected(ChannelConnection connection, String reason) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> outbox.add(new EventDraft(DeviceDisconnected.TYPE,
                EventKey.of(connection.userId(), connection.domain()), "device/" + connection.instanceId(),
                new DeviceDisconnected(connection.instanceId(), connection.userId(), connection.domain(), connection.connectionId(),
                        reason, now)))).replaceWithVoid();
    }

    private static ProblemException unknownDevice(String instanceId) {
        return new ProblemException(PushProblem.UNKNOWN_DEVICE, "No active online device " + instanceId);
    }
}
