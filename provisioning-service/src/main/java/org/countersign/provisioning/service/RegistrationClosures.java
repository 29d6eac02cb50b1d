package org.countersign.provisioning.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.countersign.events.Outbox;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.domain.InstanceStatus;
import org.countersign.provisioning.repository.RegistrationEventRepository;

/**
 * Registrations that registration-service closed (cancelled, expired, or cancelled because their user
 * was deactivated), and users it deactivated. Closing events travel on the public registrations topic
 * and RegistrationPending on the internal one, so they may arrive in either order, and a device may
 * finish an activation while a close is on its way. Every order ends the same: no open activation and
 * no active instance for a closed registration or a deactivated user, and licence counts that
 * registration-service can keep exact (it never counts an activation of a registration it closed, and
 * this service revokes any such instance). Runs on the connection of the consumer's transaction.
 */
@ApplicationScoped
public class RegistrationClosures {

    private final RegistrationEventRepository rows;
    private final ActivationCache cache;
    private final Outbox outbox;
    private final Clock clock;

    public RegistrationClosures(RegistrationEventRepository rows, ActivationCache cache, Outbox outbox, Clock clock) {
        this.rows = rows;
        this.cache = cache;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Closes the registration's activation. One not known here yet is recorded closed, so that its
     * RegistrationPending, arriving later, opens nothing; one already activated has its instance revoked.
     */
    public Uni<Void> closed(SqlConnection tx, String registrationId, String domain, String userId, String serialNumber,
                            String activationType, ActivationStatus status) {
        Instant now = clock.instant();
        return rows.insertIfAbsent(tx, Activation.closedUnseen(registrationId, domain, userId, serialNumber, activationType,
                        status, now))
                .chain(() -> rows.lock(tx, registrationId))
                .chain(activation -> {
                    if (activation == null || !activation.domain.equals(domain)) {
                        return Uni.createFrom().voidItem();
                    }
                    if (activation.status == ActivationStatus.ACTIVATED) {
                        return revokeLateActivation(tx, activation, now);
                    }
                    if (activation.status.isFinal()) {
                        return cache.put(activation);
                    }
                    activation.close(status, now);
                    return rows.closed(tx, activation).chain(() -> cache.put(activation));
                });
    }

    /** A deactivated user keeps no open activation and no active instance. */
    public Uni<Void> userDeactivated(SqlConnection tx, String domain, String userId) {
        Instant now = clock.instant();
        return rows.lockOpenOfUser(tx, domain, userId).chain(open -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Activation activation : open) {
                activation.close(ActivationStatus.CANCELLED, now);
                chain = chain.chain(() -> rows.closed(tx, activation)).chain(() -> cache.put(activation));
            }
            return chain;
        }).chain(() -> rows.lockActiveInstancesOfUser(tx, domain, userId)).chain(active -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (AuthenticatorInstance instance : active) {
                chain = chain.chain(() -> revoke(tx, instance, AuthenticatorRevoked.USER_DEACTIVATED, now));
            }
            return chain;
        });
    }

    /**
     * The device finished in time by this service's clock, but registration-service closed the
     * registration before it learned of it (a cancel racing the activation, or an expiry after a long
     * outage): it will never count that activation, so the instance must not stay usable. A migration
     * is left as it is: its instance was activated and counted by an earlier registration.
     */
    private Uni<Void> revokeLateActivation(SqlConnection tx, Activation activation, Instant now) {
        if (Activation.MIGRATE.equals(activation.activationType) || activation.instanceId == null) {
            return Uni.createFrom().voidItem();
        }
        return rows.lockInstance(tx, activation.domain, activation.instanceId).chain(instance -> instance == null
                ? Uni.createFrom().voidItem()
                : revoke(tx, instance, AuthenticatorRevoked.REGISTRATION_CLOSED, now));
    }

    /** Revokes a locked instance with its AuthenticatorRevoked, unless it was revoked before. */
    private Uni<Void> revoke(SqlConnection tx, AuthenticatorInstance instance, String reason, Instant now) {
        if (instance.status == InstanceStatus.REVOKED) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().item(() -> outbox.row(InstanceService.revokedEvent(instance, reason, now)))
                .chain(event -> rows.revoke(tx, instance, now, event)).replaceWithVoid();
    }
}
