package org.countersign.provisioning.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.countersign.events.Outbox;
import org.countersign.secrets.SealedValue;
import org.countersign.provisioning.client.PendingRegistration;
import org.countersign.provisioning.client.RegistrationClient;
import org.countersign.provisioning.config.ProvisioningConfig;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.provisioning.repository.ActivationRepository;
import org.countersign.provisioning.repository.DeviceCallRepository;
import org.countersign.web.ProblemException;

/**
 * Makes sure a device call finds its registration here, and refuses early the calls that cannot
 * succeed. Registrations normally arrive as RegistrationPending events; a device that is faster than
 * the event gets its registration from registration-service directly instead of an error.
 */
@ApplicationScoped
public class PendingActivations {

    private final ActivationCache cache;
    private final ActivationRepository activations;
    private final DeviceCallRepository deviceCalls;
    private final RegistrationClient registration;
    private static final long FIRST_WAIT_MS = 20;
    private static final long MAX_WAIT_MS = 1600;

    private final ProvisioningSealer sealer;
    private final ProvisioningConfig config;
    private final Clock clock;
    private final RecordedAheadOfEvents recordedAhead;
    private final RegistrationArrivals arrivals;

    public PendingActivations(ActivationCache cache, ActivationRepository activations, DeviceCallRepository deviceCalls,
                              RegistrationClient registration, ProvisioningSealer sealer, ProvisioningConfig config, Clock clock,
                              RecordedAheadOfEvents recordedAhead, RegistrationArrivals arrivals) {
        this.recordedAhead = recordedAhead;
        this.arrivals = arrivals;
        this.deviceCalls = deviceCalls;
        this.cache = cache;
        this.activations = activations;
        this.registration = registration;
        this.sealer = sealer;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Completes when the registration is known here and may still take a device call of this type;
     * the call itself re-checks under the row lock, since the copy in Redis may lag behind.
     */
    public Uni<Void> admit(String domain, String registrationId, Set<String> activationTypes, String bearerToken) {
        return admitted(domain, registrationId, activationTypes, bearerToken).replaceWithVoid();
    }

    /**
     * As {@link #admit}, with the activation as seen (the copy in Redis, or the row as read or recorded
     * here): what a device call decides on before its deciding statement checks it against the row.
     * The copy holds no device code or instance secret; it has the sealed activation password.
     */
    public Uni<Activation> admitted(String domain, String registrationId, Set<String> activationTypes, String bearerToken) {
        return seen(domain, registrationId, activationTypes, bearerToken)
                .chain(seen -> seen.recorded() ? Uni.createFrom().item(seen.activation()) : record(seen.activation()));
    }

    /**
     * What a device call decides on: the activation recorded here ({@link #admitted}), or, when only
     * registration-service knew it, that answer as it would be recorded and not yet written, so that
     * the call may record it together with its own change ({@link #recordAdded}).
     */
    public Uni<Seen> seen(String domain, String registrationId, Set<String> activationTypes, String bearerToken) {
        return cache.get(registrationId).chain(entry -> {
            if (entry != null) {
                refuseIfClosed(entry.domain().equals(domain) ? entry.activationType() : null, entry.status(),
                        entry.expiresAt(), registrationId, activationTypes, clock.instant());
                return Uni.createFrom().item(new Seen(entry.activation(), true));
            }
            // Ids are unique across domains: one known here under another domain is not the caller's to ask about.
            return deviceCalls.find(registrationId).chain(activation -> {
                if (activation == null) {
                    return fromRegistrationService(domain, registrationId, bearerToken).map(found -> new Seen(found, false));
                }
                if (!activation.domain.equals(domain)) {
                    throw unknown(registrationId);
                }
                return cache.put(activation).replaceWith(new Seen(activation, true));
            });
        });
    }

    /** An activation as a device call saw it; not {@code recorded}: registration-service's answer, not written here yet. */
    public record Seen(Activation activation, boolean recorded) {
    }

    /**
     * For a device that calls without a bearer token (online activation): the registration's own
     * domain is the call's. Without the caller's token this service cannot read from registration-service
     * a registration not known here yet, so the call waits a little for its event ({@code device-call-wait}),
     * and only then answers that it is unknown. Before it waits it asks registration-service, without a
     * token, whether the id exists at all: a made-up id is answered at once and holds no wait.
     */
    public Uni<Void> admitDevice(String registrationId, Set<String> activationTypes) {
        return cache.get(registrationId).chain(entry -> {
            if (entry != null) {
                refuseIfClosed(entry.activationType(), entry.status(), entry.expiresAt(), registrationId, activationTypes,
                        clock.instant());
                return Uni.createFrom().voidItem();
            }
            return awaitRecorded(registrationId, System.nanoTime() + config.deviceCallWait().toNanos(), FIRST_WAIT_MS)
                    .chain(activation -> {
                        refuseIfClosed(activation, registrationId, activationTypes, clock.instant());
                        return cache.put(activation);
                    });
        });
    }

    /**
     * The registration as recorded here, waiting (on the call's Vert.x context, so the session stays on
     * it) until it is or the deadline passes: a phone posts as soon as it has the enrolment code, which
     * is often before RegistrationPending has been read. This replica's consumer wakes the wait when it
     * records the registration ({@link RegistrationArrivals}); the looks at the table, further apart each
     * time, find one recorded by another replica.
     */
    private Uni<Activation> awaitRecorded(String registrationId, long deadlineNanos, long waitMs) {
        return activations.findAnyDomain(registrationId).chain(activation -> {
            if (activation != null || System.nanoTime() + waitMs * 1_000_000 > deadlineNanos) {
                return Uni.createFrom().item(activation);
            }
            if (waitMs != FIRST_WAIT_MS) {
                return pauseThenLook(registrationId, deadlineNanos, waitMs);
            }
            // The routes take no token: without this, anyone could hold every wait with made-up ids, and phones
            // whose event is on its way would be turned away. When registration-service cannot answer, the call
            // waits as it did before (the bound below still holds).
            return registration.exists(registrationId).chain(exists -> {
                if (Boolean.FALSE.equals(exists)) {
                    throw unknown(registrationId);
                }
                // Only a call that has not begun to wait is turned away; one already waiting keeps its place.
                if (arrivals.waitingCalls() >= config.deviceCallMaxWaiting()) {
                    throw new ProblemException(ProvisioningProblem.DEVICE_CALLS_WAITING, "The registration is not known here yet"
                            + " and too many device calls already wait for theirs; try again shortly", Map.of("Retry-After", "1"));
                }
                return pauseThenLook(registrationId, deadlineNanos, waitMs);
            });
        });
    }

    private Uni<Activation> pauseThenLook(String registrationId, long deadlineNanos, long waitMs) {
        return arrivals.pause(registrationId, waitMs)
                .chain(() -> awaitRecorded(registrationId, deadlineNanos, Math.min(waitMs * 2, MAX_WAIT_MS)));
    }

    /** The registration as registration-service knows it, pending, built as it would be recorded here (not written). */
    private Uni<Activation> fromRegistrationService(String domain, String registrationId, String bearerToken) {
        return registration.pendingActivation(registrationId, domain, bearerToken).map(found -> {
            if (found == null || !domain.equals(found.domain())) {
                throw unknown(registrationId);
            }
            switch (found.status()) {
                case "pending" -> {
                    return asRecorded(found);
                }
                case "expired" -> throw new ProblemException(ProvisioningProblem.REGISTRATION_EXPIRED,
                        "The registration expired; register again");
                default -> throw new ProblemException(ProvisioningProblem.REGISTRATION_CLOSED,
                        "The registration is " + found.status());
            }
        });
    }

    private Activation asRecorded(PendingRegistration found) {
        return Activation.pending(found.registrationId(), found.domain(), found.userId(),
                found.serialNumber(), found.activationType(), found.instanceId(), found.otp(),
                sealer.resealActivationPassword(SealedValue.parse(found.sealedActivationPassword()), found.domain(), found.userId(),
                        found.registrationId()), found.expiresAt(),
                clock.instant());
    }

    /** Records a registration the way the RegistrationPending event would; the first writer wins. */
    public Uni<Activation> record(PendingRegistration found) {
        return record(asRecorded(found));
    }

    /**
     * Records a pending activation built from registration-service's answer; the first writer wins.
     * Not put in Redis here: the device call that asked puts the row as its own statement leaves it.
     */
    Uni<Activation> record(Activation activation) {
        // Recorded now: the row is what was just written, no need to read it back.
        return deviceCalls.insertIfAbsent(activation).chain(inserted -> {
            if (!inserted) {
                return deviceCalls.find(activation.registrationId);
            }
            recordedAhead.add(activation.registrationId);
            return Uni.createFrom().item(activation);
        });
    }

    /**
     * Records a registration from registration-service's answer with its device already added, and
     * DeviceAdded, in one statement: the row as recording it and then adding the device would leave it.
     *
     * @return whether it was recorded (false: it was recorded before, by its event or another call; nothing written)
     */
    public Uni<Boolean> recordAdded(Activation added, Outbox.Row event) {
        return deviceCalls.insertAdded(added, event).invoke(inserted -> {
            if (inserted) {
                recordedAhead.add(added.registrationId);
            }
        });
    }

    /** Refuses a device call on a missing activation or one that can no longer take it. */
    static void refuseIfClosed(Activation activation, String registrationId, Set<String> activationTypes, Instant now) {
        if (activation == null) {
            throw unknown(registrationId);
        }
        refuseIfClosed(activation.activationType, activation.status, activation.expiresAt, registrationId, activationTypes, now);
    }

    /** @param actualType the activation's type, or null when it belongs to another domain */
    private static void refuseIfClosed(String actualType, ActivationStatus status, Instant expiresAt, String registrationId,
                                       Set<String> activationTypes, Instant now) {
        if (actualType == null) {
            throw unknown(registrationId);
        }
        // A finished registration says so first, whatever it was for: one closed before it was seen here
        // may not know its type.
        switch (status) {
            case ACTIVATED -> throw new ProblemException(ProvisioningProblem.ACTIVATION_STATE,
                    "The registration is already activated");
            case FAILED -> throw new ProblemException(ProvisioningProblem.ACTIVATION_FAILED,
                    "The activation failed for good; register again");
            case CANCELLED -> throw new ProblemException(ProvisioningProblem.REGISTRATION_CLOSED, "The registration was cancelled");
            case EXPIRED -> throw expired();
            default -> {
            }
        }
        if (!activationTypes.contains(actualType)) {
            throw new ProblemException(ProvisioningProblem.WRONG_ACTIVATION_TYPE,
                    "The registration is for " + actualType + " activation, not " + String.join(" or ", new TreeSet<>(activationTypes)));
        }
        if (!now.isBefore(expiresAt)) {
            throw expired();
        }
    }

    private static ProblemException expired() {
        return new ProblemException(ProvisioningProblem.REGISTRATION_EXPIRED, "The registration expired; register again");
    }

    private static ProblemException unknown(String registrationId) {
        return new ProblemException(ProvisioningProblem.UNKNOWN_REGISTRATION, "No registration " + registrationId + " in this domain");
    }
}
