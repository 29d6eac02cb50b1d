package org.countersign.provisioning.events;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.countersign.events.EventHandler;
import org.countersign.events.EventType;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.payload.RegistrationCancelled;
import org.countersign.events.payload.RegistrationExpired;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.countersign.provisioning.repository.ActivationRepository;
import org.countersign.provisioning.service.ActivationCache;
import org.countersign.provisioning.service.ProvisioningSealer;

/**
 * Learns of registrations from registration-service: a pending one becomes an activation waiting
 * for its device (the activation password re-sealed under this service's own key), and an expired
 * or cancelled one closes it. A registration a device call already fetched directly is not
 * recorded twice, and a close never reopens or overrides a finished activation.
 */
@ApplicationScoped
public class RegistrationsConsumer implements EventHandler {

    private final ActivationRepository activations;
    private final ActivationCache cache;
    private final ProvisioningSealer sealer;
    private final Clock clock;

    public RegistrationsConsumer(ActivationRepository activations, ActivationCache cache, ProvisioningSealer sealer, Clock clock) {
        this.activations = activations;
        this.cache = cache;
        this.sealer = sealer;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "registrations";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(RegistrationPending.TYPE, RegistrationExpired.TYPE, RegistrationCancelled.TYPE);
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event) {
        if (event.type().equals(RegistrationPending.TYPE)) {
            return pending(event.data(RegistrationPending.class));
        }
        if (event.type().equals(RegistrationExpired.TYPE)) {
            return close(event.data(RegistrationExpired.class).registrationId(), ActivationStatus.EXPIRED);
        }
        return close(event.data(RegistrationCancelled.class).registrationId(), ActivationStatus.CANCELLED);
    }

    private Uni<Void> pending(RegistrationPending pending) {
        Activation activation = Activation.pending(pending.registrationId(), pending.domain(), pending.userId(),
                pending.serialNumber(), pending.activationType(), pending.instanceId(), pending.otp(),
                sealer.resealActivationPassword(pending.sealedActivationPassword()), pending.expiresAt(), clock.instant());
        return activations.insertIfAbsent(activation)
                .chain(() -> activations.lock(pending.registrationId()))
                .chain(stored -> stored == null ? Uni.createFrom().voidItem() : cache.put(stored));
    }

    private Uni<Void> close(String registrationId, ActivationStatus status) {
        Instant now = clock.instant();
        return activations.lock(registrationId).chain(activation -> {
            if (activation == null || activation.status.isFinal()) {
                return Uni.createFrom().voidItem();
            }
            activation.close(status, now);
            return cache.put(activation);
        });
    }
}
