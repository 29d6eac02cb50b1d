package org.countersign.otp.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.otp.repository.UserRepository;

/**
 * What other services withdraw: a revoked authenticator never verifies again, and a deactivated
 * user keeps no usable credential and no PIN. Runs inside the consumer's transaction; every step is
 * idempotent, so a redelivered or repeated event changes nothing more.
 */
@ApplicationScoped
public class RevocationService {

    private final CredentialRepository credentials;
    private final UserRepository users;
    private final Clock clock;

    public RevocationService(CredentialRepository credentials, UserRepository users, Clock clock) {
        this.credentials = credentials;
        this.users = users;
        this.clock = clock;
    }

    public Uni<Void> revoked(AuthenticatorRevoked revoked) {
        return credentials.revokeInstance(revoked.domain(), revoked.instanceId(), revoked.revokedAt(), clock.instant());
    }

    public Uni<Void> deactivated(UserDeactivated deactivated) {
        return credentials.withdrawFromUser(deactivated.domain(), deactivated.userId(), clock.instant())
                .chain(() -> users.deactivate(deactivated.domain(), deactivated.userId(), deactivated.deactivatedAt()));
    }
}
