package org.countersign.push.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.countersign.push.client.ApnsClient;
import org.countersign.push.client.FcmClient;
import org.countersign.push.client.WakeUpOutcome;
import org.countersign.push.domain.Platform;
import org.countersign.push.repository.DeviceQueries;
import org.countersign.push.repository.DeviceQueries.WakeTarget;
import org.jboss.logging.Logger;

/**
 * Wakes a device that is not connected, through the provider of its platform: FCM for Android, APNs
 * for iOS; web and other devices have none and must poll or connect. A token the provider no longer
 * knows is disabled until the device sends a new one. Counted in
 * {@code countersign.push.wakeups{provider, result}}.
 */
@ApplicationScoped
public class WakeUps {

    private static final Logger LOG = Logger.getLogger(WakeUps.class);

    private final FcmClient fcm;
    private final ApnsClient apns;
    private final DeviceQueries devices;
    private final MeterRegistry metrics;
    private final Clock clock;

    public WakeUps(FcmClient fcm, ApnsClient apns, DeviceQueries devices, MeterRegistry metrics, Clock clock) {
        this.fcm = fcm;
        this.apns = apns;
        this.devices = devices;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Wakes the device if it can be woken; never fails. */
    public Uni<WakeUpOutcome> wake(WakeTarget target, Instant until) {
        if (target == null || target.pushToken() == null) {
            return Uni.createFrom().item(WakeUpOutcome.NOT_CONFIGURED);
        }
        String provider;
        Uni<WakeUpOutcome> call;
        if (target.platform() == Platform.ANDROID) {
            provider = "fcm";
            call = fcm.wake(target.pushToken(), until);
        } else if (target.platform() == Platform.IOS) {
            provider = "apns";
            call = apns.wake(target.pushToken(), until);
        } else {
            return Uni.createFrom().item(WakeUpOutcome.NOT_CONFIGURED);
        }
        return call.chain(outcome -> {
            metrics.counter("countersign.push.wakeups", "provider", provider, "result", outcome.name().toLowerCase(Locale.ROOT))
                    .increment();
            if (outcome == WakeUpOutcome.UNREGISTERED) {
                LOG.infof("%s no longer knows the push token of device %s: wake-ups for it stop until it sends a new one",
                        provider, target.instanceId());
                return devices.disableToken(target.instanceId(), target.pushToken(), clock.instant()).replaceWith(outcome)
                        .onFailure().recoverWithItem(outcome);
            }
            if (outcome == WakeUpOutcome.REJECTED || outcome == WakeUpOutcome.FAILED) {
                LOG.warnf("Wake-up of device %s through %s: %s", target.instanceId(), provider, outcome);
            }
            return Uni.createFrom().item(outcome);
        });
    }

    /** Wakes a device known only by its id (a replica found it gone): looks up its token first. */
    public Uni<WakeUpOutcome> wake(String instanceId, Instant until) {
        return devices.findWakeTarget(instanceId).chain(target -> wake(target, until))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Wake-up of device %s not sent: %s", instanceId, e.toString());
                    return WakeUpOutcome.FAILED;
                });
    }
}
