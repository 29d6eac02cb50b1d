package org.countersign.registration.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.RegistrationCancelled;
import org.countersign.events.payload.RegistrationExpired;
import org.countersign.events.payload.RegistrationInitiated;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.ProtocolUris;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.registration.config.RegistrationConfig;
import org.countersign.registration.domain.ActivationType;
import org.countersign.registration.domain.Licence;
import org.countersign.registration.domain.LicenceStatus;
import org.countersign.registration.domain.Registration;
import org.countersign.registration.domain.RegistrationProblem;
import org.countersign.registration.domain.RegistrationStatus;
import org.countersign.registration.domain.User;
import org.countersign.registration.domain.UserStatus;
import org.countersign.registration.repository.LicenceRepository;
import org.countersign.registration.repository.PendingActivationRepository;
import org.countersign.registration.repository.RegisterRepository;
import org.countersign.registration.repository.RegistrationRepository;
import org.countersign.registration.repository.UserRepository;
import org.countersign.web.ProblemException;

/**
 * Opens, cancels and expires registrations, and keeps each licence's books exact: a registration
 * reserves one activation, and expiry or cancellation releases it. Every check runs under row locks
 * (the user first, then the licence), so parallel registrations are decided one at a time.
 */
@ApplicationScoped
public class RegistrationService {

    private static final int ACTIVATION_PASSWORD_BYTES = 20;

    private final UserRepository users;
    private final LicenceRepository licences;
    private final RegistrationRepository registrations;
    private final PolicyService policies;
    private final LicenceService licenceService;
    private final RegistrationSealer sealer;
    private final Outbox outbox;
    private final RegistrationConfig config;
    private final Clock clock;
    private final RegisterRepository quick;
    private final Pool pool;
    private final PendingActivationRepository pendingActivations;

    public RegistrationService(UserRepository users, LicenceRepository licences, RegistrationRepository registrations,
                               PolicyService policies, LicenceService licenceService, RegistrationSealer sealer, Outbox outbox,
                               RegistrationConfig config, Clock clock, RegisterRepository quick, Pool pool,
                               PendingActivationRepository pendingActivations) {
        this.quick = quick;
        this.pendingActivations = pendingActivations;
        this.pool = pool;
        this.users = users;
        this.licences = licences;
        this.registrations = registrations;
        this.policies = policies;
        this.licenceService = licenceService;
        this.sealer = sealer;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A registration with a named licence, the usual case, is two statements in one transaction on the
     * reactive client ({@link RegisterRepository}): the user locked with what the rules need, then the
     * deciding write. Anything else, and anything the rules refuse, goes the general way below, which
     * decides afresh and answers the same problem it always did; the quick transaction, rolled back,
     * leaves nothing.
     */
    public Uni<NewRegistration> register(String domain, RegisterCommand command) {
        if (command.activationType() == ActivationType.MIGRATE || command.serialNumber() == null) {
            return registerLocked(domain, command);
        }
        return pool.withTransaction(connection -> registerQuickly(connection, domain, command))
                .onFailure(Declined.class).recoverWithUni(() -> registerLocked(domain, command));
    }

    /** The quick way did not register: nothing was written, and the general way decides and answers. */
    private static final class Declined extends RuntimeException {
        private static final Declined INSTANCE = new Declined();

        private Declined() {
            super("declined by the quick registration", null, false, false);
        }
    }

    private Uni<NewRegistration> registerQuickly(SqlConnection connection, String domain, RegisterCommand command) {
        Instant now = clock.instant();
        return quick.lockAndRead(connection, domain, command.userId(), command.serialNumber(), now).chain(facts -> {
            PolicyService.Rules rules = facts.licenceId() == null ? null
                    : policies.of(facts.maxAuthenticatorsPerUser(), facts.registrationLifetimeSeconds(), facts.activationTypes());
            boolean allowed = rules != null && UserStatus.ACTIVE.name().equals(facts.userStatus())
                    && LicenceStatus.ACTIVE.name().equals(facts.licenceStatus())
                    && (facts.assignedUserId() == null || facts.assignedUserId().equals(command.userId()))
                    && (command.authenticatorType() == null || command.authenticatorType().equals(facts.authenticatorType()))
                    && rules.activationTypes().contains(command.activationType())
                    && facts.held() < rules.maxAuthenticatorsPerUser() && facts.activationLeft();
            if (!allowed) {
                return Uni.createFrom().failure(Declined.INSTANCE);
            }
            Licence licence = new Licence();
            licence.id = facts.licenceId();
            licence.domain = domain;
            licence.serialNumber = command.serialNumber();
            licence.authenticatorType = facts.authenticatorType();
            Opening opening = opening(domain, command.userId(), licence, command, now.plus(rules.registrationLifetime()), null);
            List<Outbox.Row> events = new ArrayList<>();
            if (facts.assignedUserId() == null) {
                events.add(outbox.row(LicenceService.assignedEvent(domain, licence.serialNumber, command.userId(),
                        licence.authenticatorType, now)));
            }
            opening.events().forEach(event -> events.add(outbox.row(event)));
            return quick.open(connection, opening.registration(), facts.assignedUserId(), rules.maxAuthenticatorsPerUser(), now,
                    events).map(registered -> {
                        if (!registered) {
                            opening.activationPassword().destroy();
                            throw Declined.INSTANCE;
                        }
                        return opening.answer();
                    });
        });
    }

    @WithTransaction
    Uni<NewRegistration> registerLocked(String domain, RegisterCommand command) {
        Instant now = clock.instant();
        return users.lockOrCreate(domain, command.userId(), now)
                .invoke(user -> {
                    if (user.status != UserStatus.ACTIVE) {
                        throw new ProblemException(RegistrationProblem.USER_DEACTIVATED, "The user is deactivated");
                    }
                })
                .chain(user -> command.activationType() == ActivationType.MIGRATE
                        ? migrate(domain, user, command, now)
                        : registerNew(domain, user, command, now));
    }

    private Uni<NewRegistration> registerNew(String domain, User user, RegisterCommand command, Instant now) {
        return chooseLicence(domain, command).chain(licence -> policies.rules(domain, licence.authenticatorType)
                .chain(rules -> {
                    if (!rules.activationTypes().contains(command.activationType())) {
                        throw new ProblemException(RegistrationProblem.ACTIVATION_TYPE_NOT_ALLOWED, "The policy for "
                                + licence.authenticatorType + " allows " + rules.activationTypes().stream().map(ActivationType::wire).toList());
                    }
                    return registrations.countHeld(domain, user.userId, licence.authenticatorType).chain(held -> {
                        if (held >= rules.maxAuthenticatorsPerUser()) {
                            throw new ProblemException(RegistrationProblem.USER_AUTHENTICATOR_LIMIT, "The user already holds "
                                    + held + " of the " + rules.maxAuthenticatorsPerUser() + " " + licence.authenticatorType
                                    + " authenticators the policy allows, pending registrations included");
                        }
                        if (!licence.hasActivationLeft()) {
                            throw new ProblemException(RegistrationProblem.LICENCE_ACTIVATION_LIMIT,
                                    "Licence " + licence.serialNumber + " has no activations left");
                        }
                        licence.activationsReserved++;
                        licence.updatedAt = now;
                        Uni<Void> owned = licence.assignedUserId == null ? licenceService.assigned(licence, user.userId)
                                : Uni.createFrom().voidItem();
                        return owned.chain(() -> open(domain, user, licence, command, now.plus(rules.registrationLifetime()), null));
                    });
                }));
    }

    /**
     * Migration moves an active offline instance online: same licence, no new activation, not counted
     * against the cap again; the tenant's policy must allow it, and one instance has at most one pending
     * migration (decided under the user's lock, which every registration of the user takes first).
     */
    private Uni<NewRegistration> migrate(String domain, User user, RegisterCommand command, Instant now) {
        if (command.instanceId() == null) {
            throw new ProblemException(org.countersign.web.ProblemType.VALIDATION, "A migration names the instanceId to move online");
        }
        return registrations.find("domain = ?1 and userId = ?2 and instanceId = ?3 and status = ?4", domain, user.userId,
                        command.instanceId(), RegistrationStatus.ACTIVATED).firstResult()
                .onItem().ifNull().failWith(() -> new ProblemException(RegistrationProblem.UNKNOWN_INSTANCE,
                        "No active instance " + command.instanceId() + " of this user"))
                .chain(activated -> licences.findById(activated.licenceId))
                .chain(licence -> policies.rules(domain, licence.authenticatorType).chain(rules -> {
                    if (!rules.activationTypes().contains(ActivationType.MIGRATE)) {
                        throw new ProblemException(RegistrationProblem.ACTIVATION_TYPE_NOT_ALLOWED, "The policy for "
                                + licence.authenticatorType + " allows " + rules.activationTypes().stream().map(ActivationType::wire).toList());
                    }
                    return registrations.migrationPending(domain, command.instanceId(), now).chain(pending -> {
                        if (pending) {
                            // Two would race to move one instance online, and the loser fails for good at the device.
                            throw new ProblemException(RegistrationProblem.MIGRATION_PENDING, "A migration of instance "
                                    + command.instanceId() + " is already pending; cancel it or let it expire first");
                        }
                        return open(domain, user, licence, command, now.plus(rules.registrationLifetime()), command.instanceId());
                    });
                }));
    }

    private Uni<Licence> chooseLicence(String domain, RegisterCommand command) {
        if (command.serialNumber() != null) {
            return licences.lockInDomain(domain, command.serialNumber())
                    .onItem().ifNull().failWith(() -> new ProblemException(RegistrationProblem.UNKNOWN_LICENCE,
                            "No licence " + command.serialNumber() + " in this domain"))
                    .invoke(licence -> {
                        if (licence.status != LicenceStatus.ACTIVE) {
                            throw new ProblemException(RegistrationProblem.LICENCE_REVOKED, "Licence " + licence.serialNumber + " is revoked");
                        }
                        if (licence.assignedUserId != null && !licence.assignedUserId.equals(command.userId())) {
                            throw new ProblemException(RegistrationProblem.LICENCE_ASSIGNED_ELSEWHERE,
                                    "Licence " + licence.serialNumber + " is assigned to another user");
                        }
                        if (command.authenticatorType() != null && !command.authenticatorType().equals(licence.authenticatorType)) {
                            throw new ProblemException(RegistrationProblem.LICENCE_TYPE_MISMATCH, "Licence " + licence.serialNumber
                                    + " is a " + licence.authenticatorType + " licence");
                        }
                    });
        }
        if (command.authenticatorType() == null) {
            throw new ProblemException(org.countersign.web.ProblemType.VALIDATION,
                    "Name a serialNumber, or an authenticatorType to take a free licence of");
        }
        return licences.lockFree(domain, command.authenticatorType())
                .onItem().ifNull().failWith(() -> new ProblemException(RegistrationProblem.NO_FREE_LICENCE,
                        "No free " + command.authenticatorType() + " licence is left in this domain"));
    }

    private Uni<NewRegistration> open(String domain, User user, Licence licence, RegisterCommand command, Instant expiresAt,
                                      String instanceId) {
        Opening opening = opening(domain, user.userId, licence, command, expiresAt, instanceId);
        Uni<UUID> written = registrations.persist(opening.registration()).replaceWith((UUID) null);
        for (EventDraft event : opening.events()) {
            written = written.chain(() -> outbox.add(event));
        }
        return written.replaceWith(opening.answer());
    }

    /** A registration ready to be written: its row, its events (in order), the answer to the caller and its secret. */
    private record Opening(Registration registration, List<EventDraft> events, NewRegistration answer,
                           Secret activationPassword) {
    }

    private Opening opening(String domain, String userId, Licence licence, RegisterCommand command, Instant expiresAt,
                            String instanceId) {
        Secret activationPassword = Secret.random(ACTIVATION_PASSWORD_BYTES);
        Registration registration = new Registration();
        registration.id = UUID.randomUUID().toString();
        registration.domain = domain;
        registration.userId = userId;
        registration.licenceId = licence.id;
        registration.serialNumber = licence.serialNumber;
        registration.authenticatorType = licence.authenticatorType;
        registration.activationType = command.activationType().wire();
        registration.instanceId = instanceId;
        registration.otp = command.activationType() == ActivationType.OTPAUTH ? config.otpauth().otp() : null;
        registration.status = RegistrationStatus.PENDING;
        registration.sealedActivationPassword = sealer.sealAtRest(activationPassword, registration).toText();
        SealedValue forProvisioning = sealer.sealForTransport(activationPassword, registration);
        registration.activationPasswordForProvisioning = forProvisioning.toText();
        registration.createdAt = clock.instant();
        registration.expiresAt = expiresAt;
        String key = EventKey.of(userId, domain);
        String subject = "registration/" + registration.id;
        String message = activationMessage(command.activationType(), registration, activationPassword);
        List<EventDraft> events = List.of(
                new EventDraft(RegistrationInitiated.TYPE, key, subject, new RegistrationInitiated(registration.id, userId, domain,
                        licence.serialNumber, licence.authenticatorType, registration.activationType, instanceId, expiresAt)),
                new EventDraft(RegistrationPending.TYPE, key, subject, new RegistrationPending(registration.id, userId, domain,
                        licence.serialNumber, registration.activationType, instanceId, registration.otp, forProvisioning,
                        expiresAt)));
        // For otpauth the secret is in the message, and appears there only: no activation password besides.
        return new Opening(registration, events, new NewRegistration(registration.id, licence.serialNumber,
                command.activationType() == ActivationType.OTPAUTH ? null : activationPassword, message, expiresAt),
                activationPassword);
    }

    /**
     * What the user's device reads: activation message 1 (offline), the enrolment URI (online, migrate),
     * or, for a stock authenticator app, the otpauth URI with the activation password as its OTP key.
     */
    private String activationMessage(ActivationType type, Registration registration, Secret activationPassword) {
        return switch (type) {
            case OFFLINE -> ProtocolUris.activationMessage1(registration.serialNumber, registration.id, activationPassword,
                    config.issuer().orElse(null), registration.userId);
            case ONLINE, MIGRATE -> ProtocolUris.enrolment(config.provisioningUrl(), registration.id, registration.serialNumber,
                    activationPassword, config.issuer().orElse(null), registration.userId, registration.instanceId);
            case OTPAUTH -> OtpAuthUri.write(config.issuer().orElse(config.otpauth().defaultIssuer()), registration.userId,
                    activationPassword, OtpPolicy.parse(registration.otp));
        };
    }

    /** Completes when a registration of this id exists, in any domain and state; unknown-registration otherwise. */
    public Uni<Void> requireExists(String registrationId) {
        return registrations.exists(registrationId).invoke(exists -> {
            if (!exists) {
                throw unknownRegistration(registrationId);
            }
        }).replaceWithVoid();
    }

    /** A registration of the domain, as it stands; unknown ids and other domains' ids look alike. */
    @WithSession
    public Uni<Registration> find(String domain, String registrationId) {
        return registrations.find("domain = ?1 and id = ?2", domain, registrationId).firstResult()
                .onItem().ifNull().failWith(() -> unknownRegistration(registrationId));
    }

    /**
     * What the provisioning-service needs to activate a registration whose RegistrationPending event
     * it has not seen yet: the same payload. The activation password is the value the event carried,
     * kept beside the registration; it is sealed afresh from the at-rest copy only for a row older than
     * that column, or once the provisioning-service's key has rotated since.
     */
    public Uni<PendingActivation> pendingActivation(String domain, String registrationId) {
        return pendingActivations.find(domain, registrationId).map(registration -> {
            if (registration == null) {
                throw unknownRegistration(registrationId);
            }
            // The activation password only while it can still be used: a closed registration is answered without it.
            SealedValue activationPassword = registration.status == RegistrationStatus.PENDING
                    ? activationPasswordForProvisioning(registration) : null;
            return new PendingActivation(new RegistrationPending(registration.id, registration.userId, registration.domain,
                    registration.serialNumber, registration.activationType, registration.instanceId, registration.otp,
                    activationPassword, registration.expiresAt), registration.status);
        });
    }

    /** Unknown ids and other domains' ids look alike. */
    private static ProblemException unknownRegistration(String registrationId) {
        return new ProblemException(RegistrationProblem.UNKNOWN_REGISTRATION, "No registration " + registrationId + " in this domain");
    }

    /** A registration as RegistrationPending described it, and its status now. */
    public record PendingActivation(RegistrationPending payload, RegistrationStatus status) {
    }

    private SealedValue activationPasswordForProvisioning(Registration registration) {
        if (registration.activationPasswordForProvisioning != null) {
            SealedValue kept = SealedValue.parse(registration.activationPasswordForProvisioning);
            if (sealer.sealedToProvisioningsCurrentKey(kept)) {
                return kept;
            }
        }
        Secret activationPassword = sealer.openAtRest(registration);
        try {
            return sealer.sealForTransport(activationPassword, registration);
        } finally {
            activationPassword.destroy();
        }
    }

    @WithTransaction
    public Uni<Void> cancel(String domain, String registrationId) {
        return registrations.lockInDomain(domain, registrationId)
                .onItem().ifNull().failWith(() -> unknownRegistration(registrationId))
                .chain(registration -> {
                    if (registration.status != RegistrationStatus.PENDING) {
                        throw new ProblemException(RegistrationProblem.REGISTRATION_CLOSED,
                                "The registration is " + registration.status.name().toLowerCase(java.util.Locale.ROOT));
                    }
                    return cancelLocked(registration, RegistrationCancelled.CANCELLED, clock.instant());
                }).replaceWithVoid();
    }

    /**
     * Cancels every pending registration of a user who is being deactivated, each with its own event,
     * so that the provisioning-service closes each activation whichever of its topics it reads first.
     * Runs inside the deactivation's transaction.
     */
    public Uni<Void> cancelAllPending(String domain, String userId, Instant now) {
        return registrations.lockPendingOfUser(domain, userId).chain(pending -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Registration registration : pending) {
                chain = chain.chain(() -> cancelLocked(registration, RegistrationCancelled.USER_DEACTIVATED, now));
            }
            return chain;
        });
    }

    private Uni<Void> cancelLocked(Registration registration, String reason, Instant now) {
        return close(registration, RegistrationStatus.CANCELLED, now).chain(() -> outbox.add(new EventDraft(
                RegistrationCancelled.TYPE, EventKey.of(registration.userId, registration.domain), "registration/" + registration.id,
                new RegistrationCancelled(registration.id, registration.userId, registration.domain, registration.serialNumber, now,
                        registration.activationType, reason)))).replaceWithVoid();
    }

    /**
     * Expires what is due, also registrations that fell due while the service was down. A registration
     * is closed only once its grace has passed too: provisioning-service decides by its own clock whether
     * an activation came in time, and its AuthenticatorActivated must be able to arrive first.
     */
    @WithTransaction
    public Uni<Integer> expireDue(int limit) {
        Instant now = clock.instant();
        return registrations.lockExpired(now.minus(config.expiryGrace()), limit).chain(due -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Registration registration : due) {
                chain = chain.chain(() -> close(registration, RegistrationStatus.EXPIRED, now))
                        .chain(() -> outbox.add(new EventDraft(RegistrationExpired.TYPE,
                                EventKey.of(registration.userId, registration.domain), "registration/" + registration.id,
                                new RegistrationExpired(registration.id, registration.userId, registration.domain,
                                        registration.serialNumber, registration.expiresAt, registration.activationType))))
                        .replaceWithVoid();
            }
            return chain.replaceWith(due.size());
        });
    }

    /**
     * Settles a pending registration's reservation; migrations reserved nothing. A licence whose
     * last activation is released goes back to the pool.
     */
    private Uni<Void> close(Registration registration, RegistrationStatus status, Instant now) {
        registration.status = status;
        registration.closedAt = now;
        // Only a pending registration is ever asked for it; kept longer it is one more copy to protect.
        registration.activationPasswordForProvisioning = null;
        if (registration.instanceId != null) {
            return Uni.createFrom().voidItem();
        }
        return licences.lockById(registration.licenceId).chain(licence -> {
            licence.activationsReserved = Math.max(0, licence.activationsReserved - 1);
            licence.updatedAt = now;
            return licence.activationsUsed + licence.activationsReserved == 0 && licence.assignedUserId != null
                    ? licenceService.released(licence) : Uni.createFrom().voidItem();
        });
    }

    public Uni<List<Registration>> listForUser(String domain, String userId) {
        return registrations.listForUser(domain, userId);
    }
}
