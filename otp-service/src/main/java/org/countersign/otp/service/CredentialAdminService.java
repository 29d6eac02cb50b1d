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
import org.countersign.otp.domain.DomainSettings;
import org.countersign.otp.domain.OtpProblem;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.otp.repository.DomainSettingsRepository;
import org.countersign.web.ProblemException;
import org.jboss.logging.Logger;

/** Operator actions on credentials, on a user's lock and on the domain's settings, always within one domain. */
@ApplicationScoped
public class CredentialAdminService {

    private static final Logger LOG = Logger.getLogger(CredentialAdminService.class);

    /** What an operator may do to a credential; each names the state it acts on. */
    public enum Action {
        UNLOCK("unlocked"),
        DISABLE("disabled"),
        ENABLE("enabled");

        private final String done;

        Action(String done) {
            this.done = done;
        }
    }

    private final CredentialRepository credentials;
    private final DomainSettingsRepository settings;
    private final Throttle throttle;
    private final Outbox outbox;
    private final Clock clock;

    public CredentialAdminService(CredentialRepository credentials, DomainSettingsRepository settings, Throttle throttle,
                                  Outbox outbox, Clock clock) {
        this.credentials = credentials;
        this.settings = settings;
        this.throttle = throttle;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Lifts the per-user lock and its escalation; each credential's own lock is lifted by {@link #act}. */
    @WithTransaction
    public Uni<Void> unlockUser(String domain, String userId) {
        return throttle.unlock(domain, userId);
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
    public Uni<Void> act(String domain, UUID id, Action action) {
        Uni<Boolean> done = switch (action) {
            case UNLOCK -> credentials.unlock(domain, id, clock.instant())
                    .call(ok -> ok ? unlocked(id) : Uni.createFrom().voidItem());
            case DISABLE -> credentials.setStatus(domain, id, CredentialStatus.ACTIVE, CredentialStatus.DISABLED, clock.instant());
            case ENABLE -> credentials.setStatus(domain, id, CredentialStatus.DISABLED, CredentialStatus.ACTIVE, clock.instant());
        };
        return done.invoke(ok -> {
            if (!ok) {
                throw new ProblemException(OtpProblem.UNKNOWN_CREDENTIAL, "No credential " + id + " that can be "
                        + action.done + " in this domain");
            }
        }).replaceWithVoid();
    }

    /** The domain's settings; the defaults when it has set none. */
    @WithSession
    public Uni<DomainSettings> settings(String domain) {
        return settings.findById(domain).map(found -> {
            if (found != null) {
                return found;
            }
            DomainSettings defaults = new DomainSettings();
            defaults.domain = domain;
            return defaults;
        });
    }

    /**
     * Opts the domain in to permanent credential locks (the n-th lock in a row is for good), or out
     * again (null). Locks already permanent stay so until an admin unlocks them.
     */
    @WithTransaction
    public Uni<Void> setPermanentLockAfter(String domain, Integer permanentLockAfter) {
        return settings.setPermanentLockAfter(domain, permanentLockAfter, clock.instant())
                .invoke(() -> LOG.infof("Domain %s: permanent credential lock after %s locks in a row", domain,
                        permanentLockAfter == null ? "no number of" : permanentLockAfter));
    }
}
