package org.countersign.provisioning.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Set;
import org.countersign.events.EventType;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.SqlEventHandler;
import org.countersign.events.payload.RegistrationCancelled;
import org.countersign.events.payload.RegistrationExpired;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.countersign.provisioning.repository.DeviceCallRepository;
import org.countersign.provisioning.repository.RegistrationEventRepository;
import org.countersign.provisioning.service.ActivationCache;
import org.countersign.provisioning.service.ProvisioningSealer;
import org.countersign.provisioning.service.RecordedAheadOfEvents;
import org.countersign.provisioning.service.RegistrationArrivals;
import org.countersign.provisioning.service.RegistrationClosures;

/**
 * Learns of registrations from registration-service: a pending one becomes an activation waiting
 * for its device (the activation password re-sealed under this service's own key); an expired or
 * cancelled one, or a deactivated user, closes what is open ({@link RegistrationClosures}, which also
 * copes with the close arriving first, or after the device finished). A registration a device call
 * already fetched directly is not recorded twice. Every event is applied on the reactive SQL client,
 * in the transaction that records its id.
 */
@ApplicationScoped
public class RegistrationsConsumer implements SqlEventHandler {

    private final RegistrationEventRepository rows;
    private final DeviceCallRepository deviceCalls;
    private final ActivationCache cache;
    private final ProvisioningSealer sealer;
    private final RegistrationClosures closures;
    private final Clock clock;
    private final RecordedAheadOfEvents recordedAhead;
    private final RegistrationArrivals arrivals;

    public RegistrationsConsumer(RegistrationEventRepository rows, DeviceCallRepository deviceCalls, ActivationCache cache,
                                 ProvisioningSealer sealer, RegistrationClosures closures, Clock clock,
                                 RecordedAheadOfEvents recordedAhead, RegistrationArrivals arrivals) {
        this.recordedAhead = recordedAhead;
        this.arrivals = arrivals;
        this.rows = rows;
        this.deviceCalls = deviceCalls;
        this.cache = cache;
        this.sealer = sealer;
        this.closures = closures;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "registrations";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(RegistrationPending.TYPE, RegistrationExpired.TYPE, RegistrationCancelled.TYPE, UserDeactivated.TYPE);
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event, SqlConnection tx) {
        if (event.type().equals(RegistrationPending.TYPE)) {
            return pending(tx, event.data(RegistrationPending.class));
        }
        if (event.type().equals(RegistrationExpired.TYPE)) {
            RegistrationExpired expired = event.data(RegistrationExpired.class);
            return closures.closed(tx, expired.registrationId(), expired.domain(), expired.userId(), expired.serialNumber(),
                    expired.activationType(), ActivationStatus.EXPIRED);
        }
        if (event.type().equals(RegistrationCancelled.TYPE)) {
            RegistrationCancelled cancelled = event.data(RegistrationCancelled.class);
            return closures.closed(tx, cancelled.registrationId(), cancelled.domain(), cancelled.userId(),
                    cancelled.serialNumber(), cancelled.activationType(), ActivationStatus.CANCELLED);
        }
        UserDeactivated deactivated = event.data(UserDeactivated.class);
        return closures.userDeactivated(tx, deactivated.domain(), deactivated.userId());
    }

    /**
     * A registration closed before this event arrived was recorded closed, and stays so. One a device
     * call recorded first (from registration-service, as most are when activations come in waves) is
     * left alone: that call put it in Redis, and every change since has kept the copy there. When that
     * call ran on this replica, the event is not even opened ({@link RecordedAheadOfEvents}).
     */
    private Uni<Void> pending(SqlConnection tx, RegistrationPending pending) {
        if (recordedAhead.contains(pending.registrationId())) {
            return Uni.createFrom().voidItem();
        }
        Activation activation = Activation.pending(pending.registrationId(), pending.domain(), pending.userId(),
                pending.serialNumber(), pending.activationType(), pending.instanceId(), pending.otp(),
                sealer.resealActivationPassword(pending.sealedActivationPassword(), pending.domain(), pending.userId(),
                        pending.registrationId()), pending.expiresAt(), clock.instant());
        return rows.insertIfAbsent(tx, activation).replaceWithVoid();
    }

    /** A phone's enrolment waits for its registration: poll again at once rather than let the next events gather. */
    @Override
    public boolean awaited() {
        return arrivals.anyWaiting();
    }

    /**
     * The Redis copy is written once the row is committed: device calls take a copy there as "the row
     * exists", and one seen before the commit made add-device lock nothing and answer 404. One a device
     * call recorded (or moved on) first is left as that call wrote it.
     */
    @Override
    public Uni<Void> afterCommit(ReceivedEvent event) {
        if (!event.type().equals(RegistrationPending.TYPE)) {
            return Uni.createFrom().voidItem();
        }
        String registrationId = event.data(RegistrationPending.class).registrationId();
        arrivals.recorded(registrationId);
        if (recordedAhead.remove(registrationId)) {
            return Uni.createFrom().voidItem();
        }
        return deviceCalls.find(registrationId).chain(activation ->
                activation != null && activation.status == ActivationStatus.PENDING ? cache.put(activation) : Uni.createFrom().voidItem());
    }
}
