package org.countersign.push.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import org.countersign.push.client.WakeUpOutcome;
import org.countersign.push.domain.RequestStatus;
import org.countersign.push.repository.DeviceQueries.WakeTarget;
import org.jboss.logging.Logger;

/**
 * Gets a message to a device wherever its channel is open: on this replica directly, on another
 * through Redis (the replica its presence names), or, when it has no channel at all, as a wake-up
 * through FCM or APNs so that it connects or polls. What cannot be delivered waits in PostgreSQL:
 * the device gets every pending request when it connects and when it polls.
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
    private final ObjectMapper mapper;

    public Delivery(LocalConnections local, ReplicaBus bus, WakeUps wakeUps, StatusWaiters waiters, DeviceMessages messages,
                    ObjectMapper mapper) {
        this.local = local;
        this.bus = bus;
        this.wakeUps = wakeUps;
        this.waiters = waiters;
        this.messages = messages;
        this.mapper = mapper;
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

    private void statusChanged(String json) {
        RequestView view = read(json, RequestView.class);
        if (view != null) {
            statusChangedHere(view);
        }
    }

    private void statusChangedHere(RequestView view) {
        waiters.changed(view);
        if (view.status() == RequestStatus.PENDING) {
            return;
        }
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
            connection.send(message.message());
        } else if (message.wakeUntil() != null) {
            // The device left between the lookup and this message: wake it as if it had never been here.
            wakeUps.wake(message.instanceId(), Instant.ofEpochSecond(message.wakeUntil())).subscribe().with(outcome -> { });
        }
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
