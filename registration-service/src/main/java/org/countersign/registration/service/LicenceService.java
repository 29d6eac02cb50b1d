package org.countersign.registration.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.LicenceAssigned;
import org.countersign.events.payload.LicenceImported;
import org.countersign.events.payload.LicenceReleased;
import org.countersign.registration.domain.Licence;
import org.countersign.registration.domain.LicenceModel;
import org.countersign.registration.domain.LicenceStatus;
import org.countersign.registration.domain.RegistrationProblem;
import org.countersign.registration.repository.LicenceRepository;
import org.countersign.registration.repository.UserRepository;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemType;

/** The licence inventory of a tenant. */
@ApplicationScoped
public class LicenceService {

    private final LicenceRepository licences;
    private final UserRepository users;
    private final Outbox outbox;
    private final Clock clock;

    public LicenceService(LicenceRepository licences, UserRepository users, Outbox outbox, Clock clock) {
        this.licences = licences;
        this.users = users;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Adds a batch, all or nothing: one bad or duplicate serial number and nothing is added. */
    @WithTransaction
    public Uni<List<Licence>> importBatch(String domain, List<NewLicence> batch, String source) {
        Set<String> seen = new HashSet<>();
        for (NewLicence licence : batch) {
            if (!seen.add(licence.serialNumber())) {
                throw new ProblemException(RegistrationProblem.DUPLICATE_SERIAL,
                        "Serial number " + licence.serialNumber() + " appears twice in the batch");
            }
            if (licence.licenceModel() == LicenceModel.SDL && licence.maxActivations() != null && licence.maxActivations() != 1) {
                throw new ProblemException(ProblemType.VALIDATION, "An SDL licence has exactly one activation");
            }
        }
        Instant now = clock.instant();
        return licences.count("domain = ?1 and serialNumber in ?2", domain, List.copyOf(seen)).chain(existing -> {
            if (existing > 0) {
                throw new ProblemException(RegistrationProblem.DUPLICATE_SERIAL,
                        existing + " of these serial numbers are already in the inventory");
            }
            List<Licence> created = batch.stream().map(item -> create(domain, item, source, now)).toList();
            // Flushed here so that a batch racing ours with the same serial numbers (past the check
            // above) fails as a duplicate, not at commit as an internal error.
            return licences.persist(created).call(licences::flush)
                    .onFailure(LicenceService::isUniqueViolation).transform(e -> new ProblemException(
                            RegistrationProblem.DUPLICATE_SERIAL, "Some of these serial numbers were just added to the inventory"))
                    .chain(() -> outbox.add(new EventDraft(LicenceImported.TYPE, EventKey.of("licences", domain),
                            "licences/" + domain, new LicenceImported(domain, source,
                                    created.stream().map(l -> l.serialNumber).toList(), now))))
                    .replaceWith(created);
        });
    }

    @WithSession
    public Uni<List<Licence>> search(String domain, String type, String status, String userId, int page, int size) {
        return licences.search(domain, type, status, userId, page, size);
    }

    @WithSession
    public Uni<Licence> get(String domain, String serialNumber) {
        return licences.findInDomain(domain, serialNumber).onItem().ifNull().failWith(() -> unknown(serialNumber));
    }

    /** Assigns a licence to a user of the same domain (who must exist). */
    @WithTransaction
    public Uni<Licence> assign(String domain, String serialNumber, String userId) {
        return users.findByDomainAndUserId(domain, userId)
                .onItem().ifNull().failWith(() -> new ProblemException(RegistrationProblem.UNKNOWN_USER,
                        "No user " + userId + " in this domain"))
                .chain(user -> licences.lockInDomain(domain, serialNumber))
                .onItem().ifNull().failWith(() -> unknown(serialNumber))
                .call(licence -> {
                    if (licence.status != LicenceStatus.ACTIVE) {
                        throw new ProblemException(RegistrationProblem.LICENCE_REVOKED, "Licence " + serialNumber + " is revoked");
                    }
                    if (licence.assignedUserId != null && !licence.assignedUserId.equals(userId)) {
                        throw new ProblemException(RegistrationProblem.LICENCE_ASSIGNED_ELSEWHERE,
                                "Licence " + serialNumber + " is assigned to another user");
                    }
                    return licence.assignedUserId == null ? assigned(licence, userId) : Uni.createFrom().voidItem();
                });
    }

    /** Gives a free licence to a user and says so; call with the licence locked. */
    public Uni<Void> assigned(Licence licence, String userId) {
        Instant now = clock.instant();
        licence.assignedUserId = userId;
        licence.updatedAt = now;
        return outbox.add(assignedEvent(licence.domain, licence.serialNumber, userId, licence.authenticatorType, now))
                .replaceWithVoid();
    }

    /** LicenceAssigned: the licence now belongs to the user. */
    static EventDraft assignedEvent(String domain, String serialNumber, String userId, String authenticatorType, Instant now) {
        return new EventDraft(LicenceAssigned.TYPE, EventKey.ofLicence(serialNumber, domain), "licence/" + serialNumber,
                new LicenceAssigned(domain, serialNumber, userId, authenticatorType, now));
    }

    /** Takes a licence back from its user and says so; call with the licence locked. */
    public Uni<Void> released(Licence licence) {
        Instant now = clock.instant();
        String userId = licence.assignedUserId;
        licence.assignedUserId = null;
        licence.updatedAt = now;
        return outbox.add(new EventDraft(LicenceReleased.TYPE, EventKey.ofLicence(licence.serialNumber, licence.domain),
                "licence/" + licence.serialNumber,
                new LicenceReleased(licence.domain, licence.serialNumber, userId, now))).replaceWithVoid();
    }

    /** Frees a licence; one with activations used or reserved stays with its user. */
    @WithTransaction
    public Uni<Licence> unassign(String domain, String serialNumber) {
        return licences.lockInDomain(domain, serialNumber)
                .onItem().ifNull().failWith(() -> unknown(serialNumber))
                .call(licence -> {
                    if (licence.activationsUsed + licence.activationsReserved > 0) {
                        throw new ProblemException(RegistrationProblem.LICENCE_IN_USE, "Licence " + serialNumber
                                + " has activations in use or reserved; revoke or cancel them first");
                    }
                    return licence.assignedUserId == null ? Uni.createFrom().voidItem() : released(licence);
                });
    }

    private static Licence create(String domain, NewLicence item, String source, Instant now) {
        Licence licence = new Licence();
        licence.id = UUID.randomUUID();
        licence.domain = domain;
        licence.serialNumber = item.serialNumber();
        licence.authenticatorType = item.authenticatorType();
        licence.licenceModel = item.licenceModel();
        licence.maxActivations = item.licenceModel() == LicenceModel.SDL ? 1
                : item.maxActivations() == null ? 1 : item.maxActivations();
        licence.source = source;
        licence.status = LicenceStatus.ACTIVE;
        licence.createdAt = now;
        licence.updatedAt = now;
        return licence;
    }

    /** PostgreSQL's unique_violation (23505), however deep Hibernate wrapped it. */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())
                    || cause instanceof org.hibernate.JDBCException jdbc && "23505".equals(jdbc.getSQLState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static ProblemException unknown(String serialNumber) {
        return new ProblemException(RegistrationProblem.UNKNOWN_LICENCE, "No licence " + serialNumber + " in this domain");
    }
}
