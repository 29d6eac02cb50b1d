package org.countersign.push.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.countersign.push.config.PushConfig;
import org.countersign.push.repository.DeviceQueries;
import org.jboss.logging.Logger;

/**
 * "Last sync" (seed 000): every contact of a device (a channel message or pong, a poll, an answer)
 * moves it forward, but PostgreSQL is written at most once per device per {@code resolution}, and
 * all due devices in one statement every {@code flush-interval}: a chatty device, or 50,000 of them
 * answering pings, costs one UPDATE every few seconds, not one per contact. The shown time is thus at
 * most {@code resolution} plus {@code flush-interval} behind the last contact. Connecting writes it at
 * once (with DeviceConnected).
 */
@ApplicationScoped
public class LastSync {

    private static final Logger LOG = Logger.getLogger(LastSync.class);

    private final ConcurrentHashMap<String, Instant> due = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> written = new ConcurrentHashMap<>();
    private final DeviceQueries devices;
    private final Vertx vertx;
    private final PushConfig config;
    private final Clock clock;
    private long timer = -1;

    public LastSync(DeviceQueries devices, Vertx vertx, PushConfig config, Clock clock) {
        this.devices = devices;
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.lastSync().flushInterval().toMillis(), id -> flush());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
        flush();
    }

    /** A contact now. */
    public void contact(String instanceId) {
        long now = clock.millis();
        Long last = written.get(instanceId);
        if (last != null && now - last < config.lastSync().resolution().toMillis()) {
            return;
        }
        written.put(instanceId, now);
        due.put(instanceId, Instant.ofEpochMilli(now));
    }

    /** A contact already written (the connection's own transaction did it). */
    public void written(String instanceId, Instant at) {
        written.put(instanceId, at.toEpochMilli());
    }

    /** Writes every due contact in one statement, and forgets devices not heard of for a while. */
    void flush() {
        if (!due.isEmpty()) {
            List<String> ids = new ArrayList<>();
            List<Instant> times = new ArrayList<>();
            for (Map.Entry<String, Instant> entry : due.entrySet()) {
                if (due.remove(entry.getKey(), entry.getValue())) {
                    ids.add(entry.getKey());
                    times.add(entry.getValue());
                }
            }
            devices.recordLastSync(ids, times).subscribe().with(rows -> LOG.debugf("Last sync of %d devices written", rows), e -> {
                LOG.warnf("Last sync of %d devices not written (%s); the next contact writes it", ids.size(), e.toString());
                ids.forEach(written::remove);
            });
        }
        long forget = clock.millis() - config.lastSync().resolution().toMillis();
        written.values().removeIf(at -> at < forget);
    }
}
