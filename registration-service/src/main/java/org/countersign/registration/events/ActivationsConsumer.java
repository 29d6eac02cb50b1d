package org.countersign.registration.events;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Set;
import org.countersign.events.EventHandler;
import org.countersign.events.EventType;
import org.countersign.events.PoisonEventException;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.payload.ActivationFailed;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.events.payload.DeviceMigrated;
import org.countersign.registration.domain.Registration;
import org.countersign.registration.domain.RegistrationStatus;
import org.countersign.registration.repository.LicenceRepository;
import org.countersign.registration.repository.RegistrationRepository;

/**
 * Settles registrations from what the provisioning-service reports: an activation turns the
 * licence's reservation into a used activation, a failure releases it, a revocation gives the
 * activation back. Each is applied once (libs/events de-duplicates) and only from the state it
 * expects, so a late or repeated event changes nothing.
 */
@ApplicationScoped
public class ActivationsConsumer implements EventHandler {

    private final RegistrationRepository registrations;
    private final LicenceRepository licences;
    private final Clock clock;

    public ActivationsConsumer(RegistrationRepository registrations, LicenceRepository licences, Clock clock) {
        this.registrations = registrations;
        this.licences = licences;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "activations";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(AuthenticatorActivated.TYPE, ActivationFailed.TYPE, AuthenticatorRevoked.TYPE, DeviceMigrated.TYPE);
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event) {
        if (event.type().equals(DeviceMigrated.TYPE)) {
            DeviceMigrated migrated = event.data(DeviceMigrated.class);
            // A migration reserved nothing: the instance was counted when it was first activated.
            return registration(migrated.registrationId(), migrated.domain()).invoke(registration -> {
                if (registration.status == RegistrationStatus.PENDING) {
                    registration.status = RegistrationStatus.ACTIVATED;
                    registration.instanceId = migrated.instanceId();
                    registration.closedAt = clock.instant();
                }
            }).replaceWithVoid();
        }
        if (event.type().equals(AuthenticatorActivated.TYPE)) {
            AuthenticatorActivated activated = event.data(AuthenticatorActivated.class);
            return registration(activated.registrationId(), activated.domain()).chain(registration -> {
                if (registration.status != RegistrationStatus.PENDING) {
                    return Uni.createFrom().voidItem();
                }
                registration.status = RegistrationStatus.ACTIVATED;
                registration.instanceId = activated.instanceId();
                registration.closedAt = clock.instant();
                // A migration reserved nothing: the instance was counted when it was first activated.
                return registration.activationType.equals("migrate") ? Uni.createFrom().voidItem()
                        : settle(registration, "activations_reserved = activations_reserved - 1, activations_used = activations_used + 1");
            });
        }
        if (event.type().equals(ActivationFailed.TYPE)) {
            ActivationFailed failed = event.data(ActivationFailed.class);
            return registration(failed.registrationId(), failed.domain()).chain(registration -> {
                if (registration.status != RegistrationStatus.PENDING) {
                    return Uni.createFrom().voidItem();
                }
                registration.status = RegistrationStatus.FAILED;
                registration.closedAt = clock.instant();
                return registration.activationType.equals("migrate") ? Uni.createFrom().voidItem()
                        : settle(registration, "activations_reserved = activations_reserved - 1");
            });
        }
        AuthenticatorRevoked revoked = event.data(AuthenticatorRevoked.class);
        return registrations.find("domain = ?1 and instanceId = ?2 and status = ?3", revoked.domain(), revoked.instanceId(),
                RegistrationStatus.ACTIVATED).list().chain(list -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Registration registration : list) {
                        registration.status = RegistrationStatus.REVOKED;
                        registration.closedAt = clock.instant();
                        if (!registration.activationType.equals("migrate")) {
                            chain = chain.chain(() -> settle(registration, "activations_used = activations_used - 1"));
                        }
                    }
                    return chain;
                });
    }

    private Uni<Registration> registration(String id, String domain) {
        return registrations.lock(id).invoke(registration -> {
            if (registration == null || !registration.domain.equals(domain)) {
                throw new PoisonEventException("unknown-registration");
            }
        });
    }

    private Uni<Void> settle(Registration registration, String change) {
        return licences.getSession().chain(session -> session.createNativeQuery(
                        "UPDATE licences SET " + change + ", updated_at = ?2 WHERE id = ?1")
                .setParameter(1, registration.licenceId).setParameter(2, clock.instant()).executeUpdate()).replaceWithVoid();
    }
}
