package org.countersign.otp.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.countersign.events.payload.LicenceAssigned;
import org.countersign.events.payload.LicenceReleased;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.otp.repository.LicenceOwnerRepository;

/**
 * Licences changing hands. Licence events are keyed by licence and deactivations by user, so a
 * deactivation may be applied before an assignment that preceded it: the assigned token then starts
 * disabled, exactly as the deactivation would have left it. Runs inside the consumer's transaction.
 */
@ApplicationScoped
public class LicenceOwnership {

    private final LicenceOwnerRepository owners;
    private final CredentialRepository credentials;
    private final Clock clock;

    public LicenceOwnership(LicenceOwnerRepository owners, CredentialRepository credentials, Clock clock) {
        this.owners = owners;
        this.credentials = credentials;
        this.clock = clock;
    }

    public Uni<Void> assigned(LicenceAssigned assigned) {
        return owners.assign(assigned.domain(), assigned.serialNumber(), assigned.userId(), assigned.assignedAt())
                .chain(() -> credentials.disableTokenIfOwnerDeactivatedSince(assigned.domain(), assigned.serialNumber(),
                        assigned.userId(), assigned.assignedAt(), clock.instant()));
    }

    public Uni<Void> released(LicenceReleased released) {
        return owners.release(released.domain(), released.serialNumber(), released.userId(), released.releasedAt());
    }
}
