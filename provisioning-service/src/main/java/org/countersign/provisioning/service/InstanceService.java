package org.countersign.provisioning.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.domain.InstanceStatus;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.provisioning.repository.AuthenticatorInstanceRepository;
import org.countersign.web.ProblemException;

/** Activated instances: reading them, and revoking one. */
@ApplicationScoped
public class InstanceService {

    private final AuthenticatorInstanceRepository instances;
    private final Outbox outbox;
    private final Clock clock;

    public InstanceService(AuthenticatorInstanceRepository instances, Outbox outbox, Clock clock) {
        this.instances = instances;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<AuthenticatorInstance> get(String domain, String instanceId) {
        return instances.findInDomain(domain, instanceId).onItem().ifNull().failWith(() -> unknown(instanceId));
    }

    public Uni<List<AuthenticatorInstance>> listForUser(String domain, String userId) {
        return instances.listForUser(domain, userId);
    }

    /**
     * Revokes an instance for good: the otp-service stops accepting its codes and registration-service
     * gives the licence activation back. An online instance's certificate is revoked with it: this
     * service is the only party that relies on it, and it refuses the device's tokens from now on.
     * Revoking it again changes nothing and says so by no new event.
     */
    @WithTransaction
    public Uni<AuthenticatorInstance> revoke(String domain, String instanceId) {
        return instances.lockInDomain(domain, instanceId).onItem().ifNull().failWith(() -> unknown(instanceId))
                .call(instance -> revokeLocked(instance, AuthenticatorRevoked.REVOKED, clock.instant()));
    }

    private Uni<Void> revokeLocked(AuthenticatorInstance instance, String reason, Instant now) {
        if (instance.status == InstanceStatus.REVOKED) {
            return Uni.createFrom().voidItem();
        }
        instance.status = InstanceStatus.REVOKED;
        instance.revokedAt = now;
        instance.sealedInstanceSecret = null;
        return outbox.add(revokedEvent(instance, reason, now)).replaceWithVoid();
    }

    /** The AuthenticatorRevoked of an instance revoked now, for whichever path revokes it. */
    static EventDraft revokedEvent(AuthenticatorInstance instance, String reason, Instant now) {
        return new EventDraft(AuthenticatorRevoked.TYPE, EventKey.of(instance.userId, instance.domain),
                "instance/" + instance.instanceId, new AuthenticatorRevoked(instance.instanceId, instance.userId, instance.domain,
                        instance.serialNumber, now, reason));
    }

    private static ProblemException unknown(String instanceId) {
        return new ProblemException(ProvisioningProblem.UNKNOWN_INSTANCE, "No instance " + instanceId + " in this domain");
    }
}
