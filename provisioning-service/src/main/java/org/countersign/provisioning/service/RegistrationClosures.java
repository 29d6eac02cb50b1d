package org.countersign.provisioning.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.countersign.provisioning.repository.ActivationRepository;

/**
 * Registrations that registration-service closed (cancelled, expired, or cancelled because their user
 * was deactivated), and users it deactivated. Closing events travel on the public registrations topic
 * and RegistrationPending on the internal one, so they may arrive in either order, and a device may
 * finish an activation while a close is on its way. Every order ends the same: no open activation and
 * no active instance for a closed registration or a deactivated user, and licence counts that
 * registration-service can keep exact (it never counts an activation of a registration it closed, and
 * this service revokes any such instance). Runs inside the consumer's transaction.
 */
@ApplicationScoped
public class RegistrationClosures {

    private final ActivationRepository activations;
    private final InstanceService instances;
    private final ActivationCache cache;
    private final Clock clock;

    public RegistrationClosures(ActivationRepository activations, InstanceService instances, ActivationCache cache, Clock clock) {
        this.activations = activations;
        this.instances = instances;
        this.cache = cache;
        this.clock = clock;
    }

    /**
     * Closes the registration's activation. One not known here yet is recorded closed, so that its
     * RegistrationPending, arriving later, opens nothing; one already activated has its instance revoked.
     */
    public Uni<Void> closed(String registrationId, String domain, String userId, String serialNumber, String activationType,
                            ActivationStatus status) {
        Instant now = clock.instant();
        return activations.insertIfAbsent(Activation.closedUnseen(registrationId, domain, userId, serialNumber, activationType,
                        status, now))
                .chain(() -> activations.lock(registrationId))
                .chain(activation -> {
                    if (activation == null || !activation.domain.equals(domain)) {
                        return Uni.createFrom().voidItem();
                    }
                    if (activation.status == ActivationStatus.ACTIVATED) {
                        return revokeLateActivation(activation);
                    }
                    if (!activation.status.isFinal()) {
                        activation.close(status, now);
                    }
                    return cache.put(activation);
                });
    }

    /** A deactivated user keeps no open activation and no active instance. */
    public Uni<Void> userDeactivated(String domain, String userId) {
        Instant now = clock.instant();
        return activations.lockOpenOfUser(domain, userId).chain(open -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Activation activation : open) {
                activation.close(ActivationStatus.CANCELLED, now);
                chain = chain.chain(() -> cache.put(activation));
            }
            return chain;
        }).chain(() -> instances.revokeAllOfUser(domain, userId, AuthenticatorRevoked.USER_DEACTIVATED));
    }

    /**
     * The device finished in time by this service's clock, but registration-service closed the
     * registration before it learned of it (a cancel racing the activation, or an expiry after a long
     * outage): it will never count that activation, so the instance must not stay usable. A migration
     * is left as it is: its instance was activated and counted by an earlier registration.
     */
    private Uni<Void> revokeLateActivation(Activation activation) {
        if (Activation.MIGRATE.equals(activation.activationType) || activation.instanceId == null) {
            return Uni.createFrom().voidItem();
        }
        return instances.revokeIfActive(activation.domain, activation.instanceId, AuthenticatorRevoked.REGISTRATION_CLOSED);
    }
}
