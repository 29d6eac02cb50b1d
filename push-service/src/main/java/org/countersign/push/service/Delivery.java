package org.countersign.push.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import org.countersign.push.client.WakeUpOutcome;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.RequestStatus;
import org.countersign.push.repository.DeviceQueries.WakeTarget;
import org.countersign.push.repository.PushRequestQueries;
import org.jboss.logging.Logger;

/**
 * Gets a message to a device wherever its channel is open: on this replica directly, on another
 * through Redis (the replica its presence names), or, when it has no channel at all, as a wake-up
 * through FCM or APNs so that it connects or polls. What cannot be delivered waits in PostgreSQL:
 * the device gets every pending request when it connects and when it polls.
 *
 * <p>Nothing read from Redis is taken as true: anyone who can PUBLISH there could have written it. A
 * status broadcast only wakes this replica's waiters (which re-read PostgreSQL) and, for the user's
 * connected devices, leads to a re-read of the request: push-closed goes out only if PostgreSQL says it
 * ended, with the status PostgreSQL holds. A device message routed from another replica says only which
 * request (or that a configuration) to send: what the device gets is re-read from PostgreSQL, exactly as
 * it would get it by polling, or nothing.
 */
@ApplicationScoped
public class Delivery {

    /** How a message got on its way. */
    public enum Route {
        LOCAL,
        REMOTE,
        WOKEN,
        NOT_CONNECTED
    }

    /** A message between replicas: deliver a device message, or close a connection. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReplicaMessage(String kind, String instanceId, String connectionId, String message, Long wakeUntil, String reason) {
        static final String DELIVER = "deliver";
        static final String CLOSE = "close";
    }

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    private final LocalConnections local;
    private final ReplicaBus bus;
    private final WakeUps wakeUps;
    private final StatusWaiters waiters;
    private final DeviceMessages messages;
    private final PushRequestQueries queries;
    private final ObjectMapper mapper;
    private final Clock clock;

    public Delivery(LocalConnections local, ReplicaBus bus, WakeUps wakeUps, StatusWaiters waiters, DeviceMessages messages,
                    PushRequestQueries queries, ObjectMapper mapper, Clock clock) {
        this.local = local;
        this.bus = bus;
        this.wakeUps = wakeUps;
        this.waiters = waiters;
        this.messages = messages;
        this.queries = queries;
        this.mapper = mapper;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        bus.onReplicaMessage(this::fromReplica);
        bus.onStatus(this::statusChanged);
    }

    /**
     * Sends a device message. A device with no channel is woken when {@code wake} names its provider
     * and token ({@code until}: how long the provider may hold the wake-up); never fails.
     */
    public Uni<Route> toDevice(String instanceId, String json, WakeTarget wake, Instant until) {
        ChannelConnection connection = local.get(instanceId);
        if (connection != null) {
            connection.send(json);
            return Uni.createFrom().item(Route.LOCAL);
        }
        return bus.locate(instanceId)
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("Presence unknown (Redis: %s); waking the device instead", e.toString());
                    return null;
                })
                .chain(presence -> {
                    String replica = presence == null ? null : presence.split("/", 2)[0];
                    if (replica == null || replica.equals(bus.replicaId())) {
                        return wakeOrWait(wake, until, instanceId);
                    }
                    ReplicaMessage routed = new ReplicaMessage(ReplicaMessage.DELIVER, instanceId, null, json,
                            wake == null || until == null ? null : until.getEpochSecond(), null);
                    return bus.toReplica(replica, write(routed)).onFailure().recoverWithItem(false)
                            .chain(received -> received ? Uni.createFrom().item(Route.REMOTE) : wakeOrWait(wake, until, instanceId));
                });
    }

    private Uni<Route> wakeOrWait(WakeTarget wake, Instant until, String instanceId) {
        if (wake == null || until == null) {
            return Uni.createFrom().item(Route.NOT_CONNECTED);
        }
        return wakeUps.wake(wake, until).map(outcome -> outcome == WakeUpOutcome.SENT ? Route.WOKEN : Route.NOT_CONNECTED);
    }

    /** Closes the device's channel wherever it is open (its instance was revoked). */
    public Uni<Void> disconnect(String instanceId, String reason) {
        ChannelConnection connection = local.get(instanceId);
        if (connection != null) {
            connection.close(reason, 4403, reason);
            return Uni.createFrom().voidItem();
        }
        return bus.locate(instanceId).chain(presence -> {
            if (presence == null) {
                return Uni.createFrom().voidItem();
            }
            String[] parts = presence.split("/", 2);
            return bus.toReplica(parts[0], write(new ReplicaMessage(ReplicaMessage.CLOSE, instanceId,
                    parts.length > 1 ? parts[1] : null, null, null, reason))).replaceWithVoid();
        }).onFailure().recoverWithItem(e -> {
            LOG.debugf("Could not reach the channel of %s to close it: %s", instanceId, e.toString());
            return null;
        });
    }

    /** Closes an older connection of a device on another replica: a newer one replaced it. */
    public Uni<Void> closeReplaced(String presence, String instanceId) {
        String[] parts = presence.split("/", 2);
        if (parts.length < 2) {
            return Uni.createFrom().voidItem();
        }
        if (parts[0].equals(bus.replicaId())) {
            // Our own older connection: LocalConnections.add has closed it already.
            return Uni.createFrom().voidItem();
        }
        return bus.toReplica(parts[0], write(new ReplicaMessage(ReplicaMessage.CLOSE, instanceId, parts[1], null, null,
                "replaced"))).replaceWithVoid().onFailure().recoverWithNull();
    }

    /** A request was decided or expired here: every replica's waiters and the user's connected devices hear of it. */
    public Uni<Void> statusChanged(RequestView view) {
        statusChangedHere(view);
        return bus.publishStatus(write(view)).onFailure().recoverWithItem(e -> {
            LOG.debugf("Status change of %s not broadcast (Redis: %s); other replicas re-read it", view.requestId(), e.toString());
            return null;
        });
    }

    /**
     * A status broadcast from Redis: a hint, not a fact. Waiters wake and re-read; the user's connected
     * devices here are told push-closed only if PostgreSQL (one read by domain and id) says the request of
     * that user ended, and with the status it holds there.
     */
    private void statusChanged(String json) {
        RequestView claimed = read(json, RequestView.class);
        if (claimed == null || claimed.requestId() == null) {
            return;
        }
        waiters.wake(claimed.requestId());
        if (claimed.domain() == null || claimed.userId() == null || claimed.status() == RequestStatus.PENDING
                || local.ofUser(claimed.domain(), claimed.userId()).isEmpty()) {
            return;
        }
        queries.findIn(claimed.domain(), claimed.requestId()).subscribe().with(request -> {
            if (request != null && request.userId.equals(claimed.userId()) && request.status.isFinal()) {
                closedOnDevices(RequestView.of(request));
            } else {
                LOG.debugf("A status broadcast about %s does not match PostgreSQL; ignored", claimed.requestId());
            }
        }, e -> LOG.debugf("Status of %s not re-read (%s); devices get it on their next sync", claimed.requestId(), e.toString()));
    }

    /** A change recorded by this replica (in PostgreSQL, committed): trusted as it is. */
    private void statusChangedHere(RequestView view) {
        waiters.wake(view.requestId());
        if (view.status() != RequestStatus.PENDING) {
            closedOnDevices(view);
        }
    }

    private void closedOnDevices(RequestView view) {
        String closed = null;
        for (ChannelConnection connection : local.ofUser(view.domain(), view.userId())) {
            if (!connection.instanceId().equals(view.instanceId())) {
                if (closed == null) {
                    closed = messages.json(new DeviceMessages.PushClosedMessage(DeviceMessages.PUSH_CLOSED, view.requestId(),
                            view.status().wire()));
                }
                connection.send(closed);
            }
        }
    }

    private void fromReplica(String json) {
        ReplicaMessage message = read(json, ReplicaMessage.class);
        if (message == null || message.instanceId() == null) {
            return;
        }
        ChannelConnection connection = local.get(message.instanceId());
        if (ReplicaMessage.CLOSE.equals(message.kind())) {
            if (connection != null && (message.connectionId() == null || message.connectionId().equals(connection.connectionId()))) {
                connection.close(message.reason(), "replaced".equals(message.reason()) ? 4409 : 4403, message.reason());
            }
            return;
        }
        if (connection != null) {
            deliverAsStored(connection, message.message());
        } else if (message.wakeUntil() != null) {
            // The device left between the lookup and this message: wake it as if it had never been here.
            wakeUps.wake(message.instanceId(), Instant.ofEpochSecond(message.wakeUntil())).subscribe().with(outcome -> { });
        }
    }

    /**
     * A device message routed from another replica, sent as PostgreSQL has it: the push request of that id
     * if it is among the device's open ones (as a poll would list them), or the device's configuration if
     * it is unacknowledged; anything else is dropped. The routed text itself is never sent.
     */
    private void deliverAsStored(ChannelConnection connection, String routed) {
        JsonNode named = read(routed == null ? "null" : routed, JsonNode.class);
        String type = named == null ? null : named.path("type").asText(null);
        String requestId = named == null ? null : named.path("requestId").asText(null);
        boolean isRequest = DeviceMessages.PUSH_REQUEST.equals(type) && requestId != null;
        if (!isRequest && !DeviceMessages.CONFIG.equals(type)) {
            LOG.debugf("A routed message of type %s for %s dropped", type, connection.instanceId());
            return;
        }
        queries.findDevicePending(connection.instanceId(), clock.instant()).subscribe().with(found -> {
            Device device = found == null ? null : found.device();
            if (device == null || !device.isActive()) {
                return;
            }
            if (isRequest) {
                if (device.acceptsPush()) {
                    found.open().stream().filter(r -> r.id.equals(requestId)).findFirst()
                            .ifPresent(request -> connection.send(messages.json(messages.pushRequest(request))));
                }
            } else if (device.configPending()) {
                connection.send(messages.json(messages.config(device)));
            }
        }, e -> LOG.debugf("A routed message for %s not re-read (%s); the device gets it on its next sync",
                connection.instanceId(), e.toString()));
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("A replica message cannot be written: " + e.getClass().getSimpleName());
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (Exception e) {
            LOG.warnf("An unreadable message between replicas was dropped: %s", e.getClass().getSimpleName());
            return null;
        }
    }
}
