package org.countersign.push.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.countersign.deviceauth.DeviceIdentity;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.DeviceDisconnected;
import org.countersign.push.config.PushConfig;
import org.countersign.web.Ids;
import org.countersign.web.Problem;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemType;
import org.jboss.logging.Logger;

/**
 * The device channel's behaviour, apart from the WebSocket plumbing: what happens when a device
 * connects (presence, DeviceConnected, its pending requests and configuration), what each of its
 * messages does, the heartbeat that drops half-open connections, and what happens when it closes.
 * The message shapes are in push-service/README.md ("Device protocol").
 */
@ApplicationScoped
public class ChannelService {

    public static final String PATH = "/api/v1/devices/channel";
    public static final String PUSH_RESPONSE = "push-response";
    public static final String CONFIG_ACK = "config-ack";
    public static final String SYNC = "sync";
    private static final Logger LOG = Logger.getLogger(ChannelService.class);
    private static final Pattern ID = Pattern.compile(Ids.ID);
    private static final String REPLACED = "replaced";

    private final LocalConnections local;
    private final ReplicaBus bus;
    private final Delivery delivery;
    private final DeviceService devices;
    private final AnswerService answers;
    private final DeviceMessages messages;
    private final LastSync lastSync;
    private final Outbox outbox;
    private final PushConfig config;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final Clock clock;
    private long heartbeatTimer = -1;

    public ChannelService(LocalConnections local, ReplicaBus bus, Delivery delivery, DeviceService devices, AnswerService answers,
                          DeviceMessages messages, LastSync lastSync, Outbox outbox, PushConfig config, ObjectMapper mapper,
                          Vertx vertx, Clock clock) {
        this.local = local;
        this.bus = bus;
        this.delivery = delivery;
        this.devices = devices;
        this.answers = answers;
        this.messages = messages;
        this.lastSync = lastSync;
        this.outbox = outbox;
        this.config = config;
        this.mapper = mapper;
        this.vertx = vertx;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        long every = Math.max(100, Math.min(1_000, config.channel().pingInterval().toMillis() / 2));
        heartbeatTimer = vertx.setPeriodic(every, id -> heartbeat());
    }

    /** A new connection, authenticated at its upgrade. */
    public ChannelConnection connection(DeviceIdentity device, io.quarkus.websockets.next.WebSocketConnection socket) {
        return new ChannelConnection(device.instanceId(), device.domain(), device.userId(), UUID.randomUUID().toString(), socket,
                clock.millis(), config.channel().maxMessagesPerSecond(), config.channel().maxSendsInFlight());
    }

    /**
     * Registers it here and in Redis (closing an older connection of the same device, wherever it is),
     * records DeviceConnected and "last sync", and sends the welcome, then every pending request and an
     * unacknowledged configuration. A request created meanwhile may come twice: devices de-duplicate by
     * requestId.
     */
    public Uni<Void> opened(ChannelConnection connection) {
        ChannelConnection older = local.add(connection);
        if (older != null) {
            older.close(REPLACED, 4409, "replaced by a newer connection");
        }
        return bus.claim(connection)
                .call(previous -> previous == null || previous.equals(bus.presenceOf(connection)) ? Uni.createFrom().voidItem()
                        : delivery.closeReplaced(previous, connection.instanceId()))
                .call(() -> {
                    // A newer connection of the device here may have claimed before this claim landed: it claims again.
                    ChannelConnection current = local.get(connection.instanceId());
                    return current == null || current == connection ? Uni.createFrom().voidItem() : bus.claim(current).replaceWithVoid();
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Presence of %s not recorded (Redis: %s); it gets requests created here and by polling",
                            connection.instanceId(), e.toString());
                    return null;
                })
                .chain(() -> devices.connected(connection))
                .invoke(() -> connection.send(messages.json(new DeviceMessages.WelcomeMessage(DeviceMessages.WELCOME,
                        connection.instanceId(), connection.connectionId(), config.channel().pingInterval().toSeconds(),
                        config.channel().heartbeatTimeout().toSeconds(), clock.instant()))))
                .chain(() -> sendPending(connection));
    }

    private Uni<Void> sendPending(ChannelConnection connection) {
        return devices.pending(connection.instanceId()).invoke(pending -> {
            pending.requests().forEach(request -> connection.send(messages.json(request)));
            if (pending.config() != null) {
                connection.send(messages.json(pending.config()));
            }
        }).replaceWithVoid();
    }

    /** A pong: a sign of life (unsolicited ones count against the message budget too). */
    public void pong(ChannelConnection connection) {
        if (!connection.withinBudget(clock.millis())) {
            return;
        }
        connection.seen(clock.millis());
        lastSync.contact(connection.instanceId());
    }

    /**
     * A text message from the device. Every failure is answered as an error message and the connection stays
     * open, unless the device is over its message budget: then the channel is closed (1008) and the message,
     * like every one after it, is dropped unread, before it costs a reply or a database round trip.
     */
    public Uni<Void> received(ChannelConnection connection, String text) {
        if (!connection.withinBudget(clock.millis())) {
            return Uni.createFrom().voidItem();
        }
        connection.seen(clock.millis());
        lastSync.contact(connection.instanceId());
        JsonNode message;
        try {
            message = mapper.readTree(text);
        } catch (Exception e) {
            return error(connection, null, null, new ProblemException(ProblemType.MALFORMED_BODY, "The message is not JSON"));
        }
        String type = message == null ? null : message.path("type").asText(null);
        DeviceIdentity device = new DeviceIdentity(connection.instanceId(), connection.domain(), connection.userId());
        if (PUSH_RESPONSE.equals(type)) {
            String requestId = message.path("requestId").asText(null);
            JsonNode selected = message.path("selectedNumber");
            if (requestId == null || !ID.matcher(requestId).matches() || !message.path("decision").isTextual()
                    || !message.path("signature").isTextual() || !(selected.isMissingNode() || selected.isNull() || selected.isInt())) {
                return error(connection, type, requestId, new ProblemException(ProblemType.VALIDATION,
                        "A push-response has requestId, decision and signature (strings) and optionally selectedNumber (an integer)"));
            }
            Integer number = selected.isInt() ? selected.intValue() : null;
            return answers.answer(device, requestId, message.path("decision").asText(), number, message.path("signature").asText())
                    .invoke(decided -> connection.send(messages.json(new DeviceMessages.PushResponseResultMessage(
                            DeviceMessages.PUSH_RESPONSE_RESULT, requestId, decided.status().wire(), decided.reason()))))
                    .replaceWithVoid()
                    .onFailure().recoverWithUni(e -> error(connection, type, requestId, e));
        }
        if (CONFIG_ACK.equals(type)) {
            if (!message.path("version").isInt() || message.path("version").intValue() < 0) {
                return error(connection, type, null, new ProblemException(ProblemType.VALIDATION,
                        "A config-ack has version, a non-negative integer"));
            }
            int version = message.path("version").intValue();
            return devices.acknowledge(device, version)
                    .invoke(() -> connection.send(messages.json(new DeviceMessages.ConfigAckedMessage(DeviceMessages.CONFIG_ACKED,
                            version))))
                    .onFailure().recoverWithUni(e -> error(connection, type, null, e));
        }
        if (SYNC.equals(type)) {
            return sendPending(connection).onFailure().recoverWithUni(e -> error(connection, type, null, e));
        }
        return error(connection, type, null, new ProblemException(ProblemType.VALIDATION,
                "Unknown message type: push-response, config-ack and sync are known"));
    }

    private Uni<Void> error(ChannelConnection connection, String inReplyTo, String requestId, Throwable failure) {
        Problem problem;
        if (failure instanceof ProblemException p) {
            problem = Problem.of(p.kind(), p.getMessage(), PATH);
        } else {
            String incident = UUID.randomUUID().toString();
            LOG.errorf(failure, "Unexpected failure on the channel of %s, incident %s", connection.instanceId(), incident);
            problem = Problem.of(ProblemType.INTERNAL, "An unexpected error occurred; quote incident " + incident, PATH);
        }
        connection.send(messages.json(new DeviceMessages.ErrorMessage(DeviceMessages.ERROR, inReplyTo, requestId, problem)));
        return Uni.createFrom().voidItem();
    }

    /**
     * The connection closed. Unless a newer connection of the device has taken over (here or on another
     * replica), its presence goes and DeviceDisconnected is recorded with why.
     */
    public Uni<Void> closed(ChannelConnection connection) {
        boolean current = local.remove(connection);
        String reason = connection.closeReason() == null ? DeviceDisconnected.CLOSED : connection.closeReason();
        if (REPLACED.equals(reason) || "shutdown-recorded".equals(reason)) {
            return Uni.createFrom().voidItem();
        }
        return bus.release(connection)
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("Presence of %s not released (Redis: %s); it expires", connection.instanceId(), e.toString());
                    return current;
                })
                .chain(released -> released ? devices.disconnected(connection, reason) : Uni.createFrom().voidItem())
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("DeviceDisconnected of %s not recorded: %s", connection.instanceId(), e.toString());
                    return null;
                });
    }

    /** Pings each connection every ping interval, and closes one silent for longer than the heartbeat timeout. */
    void heartbeat() {
        long now = clock.millis();
        long timeout = config.channel().heartbeatTimeout().toMillis();
        long interval = config.channel().pingInterval().toMillis();
        for (ChannelConnection connection : local.all()) {
            if (now - connection.lastSeenMillis() > timeout) {
                LOG.debugf("Channel of %s silent for %d ms: closed as half-open", connection.instanceId(),
                        now - connection.lastSeenMillis());
                connection.close(DeviceDisconnected.HEARTBEAT_TIMEOUT, 1001, "heartbeat timeout");
                // At once rather than when the half-open socket finally closes: presence goes and the event is written now.
                DetachedWork.run(vertx, "Closing the channel of " + connection.instanceId(), () -> closed(connection));
            } else if (now - connection.lastPingMillis() >= interval) {
                connection.ping(now);
            }
        }
    }

    /**
     * Shutdown: DeviceDisconnected (reason shutdown) for every connection here, written in batches while
     * the database is still there, then the presences go and the devices are told to reconnect (1012),
     * which they do to another replica.
     */
    void stop(@Observes @Priority(1) ShutdownEvent event) {
        vertx.cancelTimer(heartbeatTimer);
        List<ChannelConnection> all = new ArrayList<>(local.all());
        if (all.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (int from = 0; from < all.size(); from += 500) {
            List<ChannelConnection> batch = all.subList(from, Math.min(all.size(), from + 500));
            try {
                VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (ChannelConnection c : batch) {
                        chain = chain.chain(() -> outbox.add(new EventDraft(DeviceDisconnected.TYPE, EventKey.of(c.userId(), c.domain()),
                                "device/" + c.instanceId(), new DeviceDisconnected(c.instanceId(), c.userId(), c.domain(),
                                        c.connectionId(), DeviceDisconnected.SHUTDOWN, now))).replaceWithVoid());
                    }
                    return chain;
                }));
            } catch (Throwable e) {
                LOG.warnf("DeviceDisconnected not recorded for %d connections at shutdown: %s", batch.size(), e.toString());
            }
        }
        for (ChannelConnection connection : all) {
            local.remove(connection);
            bus.release(connection).subscribe().with(v -> { }, e -> { });
            connection.close("shutdown-recorded", 1012, "service restart: reconnect");
        }
    }

    public int connections() {
        return local.size();
    }
}
