package org.countersign.registration.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Set;
import org.countersign.events.EventType;
import org.countersign.events.PoisonEventException;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.SqlEventHandler;
import org.countersign.events.payload.ActivationFailed;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.events.payload.DeviceMigrated;
import org.countersign.registration.domain.RegistrationStatus;
import org.countersign.registration.repository.SettlementRepository;

/**
 * Settles registrations from what the provisioning-service reports: an activation turns the
 * licence's reservation into a used activation, a failure releases it, a revocation gives the
 * activation back. Each is applied once (libs/events de-duplicates) and only from the state it
 * expects, so a late or repeated event changes nothing. One statement each on the reactive SQL client
 * ({@link SettlementRepository}), in the transaction that records the event's id.
 */
@ApplicationScoped
public class ActivationsConsumer implements SqlEventHandler {

    private final SettlementRepository settlements;
    private final Clock clock;

    public ActivationsConsumer(SettlementRepository settlements, Clock clock) {
        this.settlements = settlements;
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
    public Uni<Void> handle(ReceivedEvent event, SqlConnection tx) {
        if (event.type().equals(DeviceMigrated.TYPE)) {
            DeviceMigrated migrated = event.data(DeviceMigrated.class);
            // A migration reserved nothing: the instance was counted when it was first activated.
            return closePending(tx, migrated.registrationId(), migrated.domain(), RegistrationStatus.ACTIVATED,
                    migrated.instanceId(), null);
        }
        if (event.type().equals(AuthenticatorActivated.TYPE)) {
            AuthenticatorActivated activated = event.data(AuthenticatorActivated.class);
            return closePending(tx, activated.registrationId(), activated.domain(), RegistrationStatus.ACTIVATED,
                    activated.instanceId(), SettlementRepository.RESERVATION_USED);
        }
        if (event.type().equals(ActivationFailed.TYPE)) {
            ActivationFailed failed = event.data(ActivationFailed.class);
            return closePending(tx, failed.registrationId(), failed.domain(), RegistrationStatus.FAILED, null,
                    SettlementRepository.RESERVATION_RELEASED);
        }
        AuthenticatorRevoked revoked = event.data(AuthenticatorRevoked.class);
        return settlements.revokeInstance(tx, revoked.domain(), revoked.instanceId(), clock.instant());
    }

    private Uni<Void> closePending(SqlConnection tx, String registrationId, String domain, RegistrationStatus status,
                                   String instanceId, String licenceChange) {
        return settlements.closePending(tx, registrationId, domain, status, instanceId, licenceChange, clock.instant())
                .invoke(known -> {
                    if (!known) {
                        throw new PoisonEventException("unknown-registration");
                    }
                }).replaceWithVoid();
    }
}
