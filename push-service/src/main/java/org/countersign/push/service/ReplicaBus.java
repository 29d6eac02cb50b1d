package org.countersign.push.service;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.countersign.push.config.PushConfig;
import org.jboss.logging.Logger;

/**
 * Presence and messages between replicas, in Redis.
 *
 * <ul>
 *   <li>{@code cs:push:presence:<iid>} = {@code <replicaId>/<connectionId>}: where a device's channel is
 *       open; set on connect, renewed by its replica, removed on close only if it is still that
 *       connection's (a newer connection elsewhere wins).</li>
 *   <li>{@code cs:push:replica:<replicaId>}: the replica is alive (renewed every 10 s, expires after 30 s),
 *       so that the presence left by a crashed replica does not count as connected.</li>
 *   <li>Pub/sub channel {@code cs:push:to:<replicaId>}: messages for the devices connected to one replica
 *       (deliver, close). A PUBLISH that no replica receives means the device is not connected.</li>
 *   <li>Pub/sub channel {@code cs:push:request-status}: every decided or expired request, for every
 *       replica's long-polls, SSE streams and the user's other devices.</li>
 * </ul>
 * Pub/sub loses messages when a subscriber is away; nothing depends on it alone: a device gets its
 * pending requests on every (re)connection and every poll, long-polls re-read PostgreSQL at their end,
 * and SSE streams every 25 s. PostgreSQL holds the truth; Redis only speeds things up. Nor is anything read
 * here trusted: whoever can reach Redis can PUBLISH, so a status message only wakes (its listener re-reads
 * PostgreSQL) and a routed device message only names what to send (see {@link Delivery}).
 */
@ApplicationScoped
public class ReplicaBus {

    public static final String STATUS_CHANNEL = "cs:push:request-status";
    private static final Logger LOG = Logger.getLogger(ReplicaBus.class);
    private static final long ALIVE_SECONDS = 30;
    private static final long ALIVE_RENEW_MILLIS = 10_000;
    /** Deletes a presence only if it still names this connection. */
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    /**
     * Renews a presence unless a connection elsewhere has taken it. One naming another connection of this
     * replica is stale (two connections of a device racing to claim it can leave the older one's): this
     * replica's own map says which connection is current, so it wins.
     */
    private static final String RENEW = "local v = redis.call('GET', KEYS[1]) if v == false or v == ARGV[1]"
            + " or string.sub(v, 1, string.len(ARGV[3])) == ARGV[3] then"
            + " redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1 end return 0";

    private final String replicaId = UUID.randomUUID().toString();
    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final PushConfig config;
    private final LocalConnections local;
    private volatile Consumer<String> replicaListener = message -> { };
    private volatile Consumer<String> statusListener = message -> { };
    private volatile boolean running;
    private long aliveTimer = -1;
    private long renewTimer = -1;

    public ReplicaBus(ReactiveRedisDataSource redis, Vertx vertx, PushConfig config, LocalConnections local) {
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
        this.local = local;
    }

    public String replicaId() {
        return replicaId;
    }

    /** The presence value of a connection of this replica. */
    public String presenceOf(ChannelConnection connection) {
        return replicaId + "/" + connection.connectionId();
    }

    public void onReplicaMessage(Consumer<String> listener) {
        this.replicaListener = listener;
    }

    public void onStatus(Consumer<String> listener) {
        this.statusListener = listener;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        subscribe();
        renewAlive();
        aliveTimer = vertx.setPeriodic(ALIVE_RENEW_MILLIS, id -> renewAlive());
        long renewEvery = Math.max(1_000, config.channel().presenceTtl().toMillis() / 3);
        renewTimer = vertx.setPeriodic(renewEvery, id -> renewPresences());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        vertx.cancelTimer(aliveTimer);
        vertx.cancelTimer(renewTimer);
    }

    private void subscribe() {
        redis.pubsub(String.class).subscribe(List.of(replicaChannel(replicaId), STATUS_CHANNEL), (channel, message) -> {
                    try {
                        if (STATUS_CHANNEL.equals(channel)) {
                            statusListener.accept(message);
                        } else {
                            replicaListener.accept(message);
                        }
                    } catch (RuntimeException e) {
                        LOG.warnf("A message between replicas could not be handled: %s", e.toString());
                    }
                }, this::resubscribeLater, e -> {
                    LOG.warnf("Redis subscription lost (%s); subscribing again", e.getClass().getSimpleName());
                    resubscribeLater();
                })
                .subscribe().with(subscriber -> LOG.debugf("Replica %s listens on Redis", replicaId), e -> {
                    LOG.warnf("Redis subscription failed (%s); trying again in 1 s", e.getClass().getSimpleName());
                    resubscribeLater();
                });
    }

    private void resubscribeLater() {
        if (running) {
            vertx.setTimer(1_000, id -> {
                if (running) {
                    subscribe();
                }
            });
        }
    }

    private void renewAlive() {
        redis.execute("SET", aliveKey(replicaId), "1", "EX", Long.toString(ALIVE_SECONDS)).subscribe().with(ok -> { },
                e -> LOG.debugf("Replica heartbeat not written: %s", e.toString()));
    }

    private void renewPresences() {
        String ttl = Long.toString(config.channel().presenceTtl().toSeconds());
        for (ChannelConnection connection : local.all()) {
            redis.execute("EVAL", RENEW, "1", presenceKey(connection.instanceId()), presenceOf(connection), ttl, replicaId + "/")
                    .subscribe().with(ok -> { }, e -> LOG.debugf("Presence not renewed: %s", e.toString()));
        }
    }

    /** Records the connection as the device's current one; answers the presence it replaced, if any. */
    public Uni<String> claim(ChannelConnection connection) {
        return redis.execute("SET", presenceKey(connection.instanceId()), presenceOf(connection), "EX",
                        Long.toString(config.channel().presenceTtl().toSeconds()), "GET")
                .map(response -> response == null ? null : response.toString());
    }

    /** Removes the connection's presence if it is still the device's current one; true if it was. */
    public Uni<Boolean> release(ChannelConnection connection) {
        return redis.execute("EVAL", RELEASE, "1", presenceKey(connection.instanceId()), presenceOf(connection))
                .map(response -> response != null && response.toLong() == 1);
    }

    /** Where the device's channel is open: {@code <replicaId>/<connectionId>}, or null. */
    public Uni<String> locate(String instanceId) {
        return redis.execute("GET", presenceKey(instanceId)).map(response -> response == null ? null : response.toString());
    }

    /** Sends a message to one replica; false when no replica of that id listens (it is gone). */
    public Uni<Boolean> toReplica(String replica, String message) {
        return redis.execute("PUBLISH", replicaChannel(replica), message).map(response -> response != null && response.toLong() > 0);
    }

    public Uni<Void> publishStatus(String message) {
        return redis.execute("PUBLISH", STATUS_CHANNEL, message).replaceWithVoid();
    }

    /** Which of the devices have a channel open on a live replica. */
    public Uni<Map<String, Boolean>> connected(List<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<String> args = instanceIds.stream().map(ReplicaBus::presenceKey).toList();
        return redis.execute("MGET", args.toArray(String[]::new)).chain(values -> {
            Map<String, String> replicaOf = new HashMap<>();
            for (int i = 0; i < instanceIds.size(); i++) {
                Response value = values.get(i);
                if (value != null) {
                    replicaOf.put(instanceIds.get(i), value.toString().split("/", 2)[0]);
                }
            }
            Set<String> replicas = new HashSet<>(replicaOf.values());
            if (replicas.isEmpty()) {
                return Uni.createFrom().item(falseFor(instanceIds));
            }
            List<String> replicaList = new ArrayList<>(replicas);
            return redis.execute("MGET", replicaList.stream().map(ReplicaBus::aliveKey).toArray(String[]::new)).map(alive -> {
                Set<String> live = new HashSet<>();
                for (int i = 0; i < replicaList.size(); i++) {
                    if (alive.get(i) != null) {
                        live.add(replicaList.get(i));
                    }
                }
                Map<String, Boolean> result = new HashMap<>(falseFor(instanceIds));
                replicaOf.forEach((iid, replica) -> result.put(iid, live.contains(replica)));
                return result;
            });
        });
    }

    private static Map<String, Boolean> falseFor(List<String> instanceIds) {
        Map<String, Boolean> none = new HashMap<>();
        instanceIds.forEach(iid -> none.put(iid, false));
        return none;
    }

    static String presenceKey(String instanceId) {
        return "cs:push:presence:" + instanceId;
    }

    static String aliveKey(String replica) {
        return "cs:push:replica:" + replica;
    }

    static String replicaChannel(String replica) {
        return "cs:push:to:" + replica;
    }
}
