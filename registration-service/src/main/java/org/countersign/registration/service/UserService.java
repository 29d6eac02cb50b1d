package org.countersign.registration.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.registration.domain.Licence;
import org.countersign.registration.domain.Registration;
import org.countersign.registration.domain.RegistrationProblem;
import org.countersign.registration.domain.User;
import org.countersign.registration.domain.UserStatus;
import org.countersign.registration.repository.LicenceRepository;
import org.countersign.registration.repository.RegistrationRepository;
import org.countersign.registration.repository.UserRepository;
import org.countersign.web.ProblemException;

/** Users of a tenant, and what they hold. */
@ApplicationScoped
public class UserService {

    /** A user with their licences and registrations. */
    public record UserView(User user, List<Licence> licences, List<Registration> registrations) {
    }

    private final UserRepository users;
    private final LicenceRepository licences;
    private final RegistrationRepository registrations;
    private final RegistrationService registrationService;
    private final Outbox outbox;
    private final Clock clock;

    public UserService(UserRepository users, LicenceRepository licences, RegistrationRepository registrations,
                       RegistrationService registrationService, Outbox outbox, Clock clock) {
        this.users = users;
        this.licences = licences;
        this.registrations = registrations;
        this.registrationService = registrationService;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Creates the user, or reactivates a deactivated one. */
    @WithTransaction
    public Uni<User> put(String domain, String userId) {
        Instant now = clock.instant();
        return users.lockOrCreate(domain, userId, now).invoke(user -> {
            if (user.status != UserStatus.ACTIVE) {
                user.status = UserStatus.ACTIVE;
                user.updatedAt = now;
            }
        });
    }

    @WithSession
    public Uni<UserView> get(String domain, String userId) {
        return users.findByDomainAndUserId(domain, userId)
                .onItem().ifNull().failWith(() -> unknown(userId))
                .chain(user -> licences.listAssigned(domain, userId).chain(held -> registrations.listForUser(domain, userId)
                        .map(regs -> new UserView(user, held, regs))));
    }

    /**
     * Deactivates the user: pending registrations are cancelled, each with its own event (their
     * reservations released), and an event tells the other services to revoke what the user holds.
     * The user's row is locked first, as registering does, so no registration slips in meanwhile.
     */
    @WithTransaction
    public Uni<Void> deactivate(String domain, String userId) {
        Instant now = clock.instant();
        return users.lockInDomain(domain, userId)
                .onItem().ifNull().failWith(() -> unknown(userId))
                .chain(user -> {
                    if (user.status == UserStatus.DEACTIVATED) {
                        return Uni.createFrom().voidItem();
                    }
                    user.status = UserStatus.DEACTIVATED;
                    user.updatedAt = now;
                    return registrationService.cancelAllPending(domain, userId, now)
                            .chain(() -> outbox.add(new EventDraft(UserDeactivated.TYPE, EventKey.of(userId, domain),
                                    "user/" + userId, new UserDeactivated(userId, domain, now))))
                            .replaceWithVoid();
                });
    }

    private static ProblemException unknown(String userId) {
        return new ProblemException(RegistrationProblem.UNKNOWN_USER, "No user " + userId + " in this domain");
    }
}
