package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.CredentialUnlocked;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialStatus;
import org.countersign.otp.domain.OtpProblem;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.web.ProblemException;

/** Operator actions on credentials and on a user's lock, always within one domain. */
@ApplicationScoped
public class CredentialAdminService {

    private final CredentialRepository credentials;
    private final Throttle throttle;
    private final UserThrottle userThrottle;
    private final Outbox outbox;
    private final Clock clock;

    public CredentialAdminService(CredentialRepository credentials, Throttle throttle, UserThrottle userThrottle, Outbox outbox,
                                  Clock clock) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.userThrottle = userThrottle;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Lifts the per-user lock; each credential's own lock is lifted by {@link #act}. */
    @WithTransaction
    public Uni<Void> unlockUser(String domain, String userId) {
        return userThrottle.unlock(domain, userId);
    }

    private Uni<Void> unlocked(UUID id) {
        return credentials.findById(id).chain(credential -> credentials.holder(credential).chain(holder -> outbox.add(
                new EventDraft(CredentialUnlocked.TYPE, EventKey.of(holder, credential.domain), "credential/" + id,
                        new CredentialUnlocked(id.toString(), credential.domain, credential.serialNumber, clock.instant())))))
                .replaceWithVoid();
    }

    @WithSession
    public Uni<List<Credential>> list(String domain, String userId) {
        return credentials.listForAdmin(domain, userId);
    }

    @WithTransaction
    public Uni<Void> act(String domain, UUID id, String action) {
        Uni<Boolean> done = switch (action) {
            case "unlock" -> credentials.unlock(domain, id, clock.instant())
                    .call(ok -> ok ? throttle.succeeded(id).chain(() -> unlocked(id)) : Uni.createFrom().voidItem());
            case "disable" -> credentials.setStatus(domain, id, CredentialStatus.ACTIVE, CredentialStatus.DISABLED, clock.instant());
            default -> credentials.setStatus(domain, id, CredentialStatus.DISABLED, CredentialStatus.ACTIVE, clock.instant());
        };
        return done.invoke(ok -> {
            if (!ok) {
                throw new ProblemException(OtpProblem.UNKNOWN_CREDENTIAL, "No credential " + id + " that can be "
                        + action + "d in this domain");
            }
        }).replaceWithVoid();
    }
}
