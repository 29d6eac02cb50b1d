package org.countersign.provisioning.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.EventType;
import org.countersign.events.Outbox;
import org.countersign.events.payload.ActivationFailed;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.provisioning.config.ProvisioningConfig;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.domain.InstanceMode;
import org.countersign.provisioning.domain.InstanceStatus;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.provisioning.repository.ActivationRepository;
import org.countersign.provisioning.repository.AuthenticatorInstanceRepository;
import org.countersign.provisioning.repository.DeviceCallRepository;
import org.countersign.web.ProblemException;
import org.jboss.logging.Logger;

/**
 * The one state machine every kind of activation goes through (offline, online, migrate, otpauth):
 * PENDING, then DEVICE_ADDED where there is a device step, then ACTIVATED or FAILED. The parts they
 * share live here: finding the activation locked and refusing what it can no longer take, one counter
 * of failed attempts whose last allowed failure fails the activation for good, and the new instance
 * with its events. Callers run inside a transaction.
 */
@ApplicationScoped
public class ActivationSteps {

    private static final Logger LOG = Logger.getLogger(ActivationSteps.class);

    /** Why a counted failure happened, and the ActivationFailed reason when it was the last allowed. */
    private static final Map<String, String> FINAL_REASONS = Map.of(
            "wrong-signature", "too-many-wrong-signatures",
            "wrong-confirmation", "too-many-wrong-signatures",
            "wrong-otp", "too-many-wrong-codes");

    private final ActivationRepository activations;
    private final AuthenticatorInstanceRepository instances;
    private final DeviceCallRepository deviceCalls;
    private final Outbox outbox;
    private final ProvisioningConfig config;

    public ActivationSteps(ActivationRepository activations, AuthenticatorInstanceRepository instances,
                           DeviceCallRepository deviceCalls, Outbox outbox, ProvisioningConfig config) {
        this.deviceCalls = deviceCalls;
        this.activations = activations;
        this.instances = instances;
        this.outbox = outbox;
        this.config = config;
    }

    /** The activation of the caller's domain, locked, if it may still take a call of one of these types. */
    public Uni<Activation> lockOpen(String domain, String registrationId, Set<String> types, Instant now) {
        return activations.lockInDomain(domain, registrationId).map(activation -> {
            PendingActivations.refuseIfClosed(activation, registrationId, types, now);
            return activation;
        });
    }

    /**
     * For a device without a bearer token: the activation, locked, in whatever domain it is; the
     * registration's own domain is the call's.
     */
    public Uni<Activation> lockOpenForDevice(String registrationId, Set<String> types, Instant now) {
        return activations.lock(registrationId).map(activation -> {
            PendingActivations.refuseIfClosed(activation, registrationId, types, now);
            return activation;
        });
    }

    /** The activation as PostgreSQL has it; unknown ids and other domains' ids look alike. */
    public Uni<Activation> state(String domain, String registrationId) {
        return activations.findInDomain(domain, registrationId).onItem().ifNull().failWith(() -> new ProblemException(
                ProvisioningProblem.UNKNOWN_REGISTRATION, "No registration " + registrationId + " in this domain"));
    }

    public int attemptsLeft(Activation activation) {
        return activation.status.isFinal() ? 0 : Math.max(0, config.maxAttempts() - activation.failedAttempts);
    }

    /**
     * Counts a failed attempt (a wrong signature, proof or code, or a repeated device step); the last
     * one allowed fails the activation for good. The count is committed with the transaction, before
     * the caller hears of it.
     */
    public Uni<ActivationOutcome> count(Activation activation, String why, Instant now) {
        activation.failedAttempts++;
        activation.updatedAt = now;
        int left = config.maxAttempts() - activation.failedAttempts;
        LOG.infof("Activation %s: failed attempt (%s), %d left", activation.registrationId, why, Math.max(0, left));
        if (left > 0) {
            return Uni.createFrom().item(new ActivationOutcome.Counted(activation, why, left));
        }
        return failForGood(activation, FINAL_REASONS.getOrDefault(why, why), now);
    }

    /** Ends the activation as failed, with ActivationFailed and its stable reason code. */
    public Uni<ActivationOutcome> failForGood(Activation activation, String reason, Instant now) {
        LOG.infof("Activation %s failed for good: %s", activation.registrationId, reason);
        activation.close(ActivationStatus.FAILED, now);
        return outbox.add(draft(activation, ActivationFailed.TYPE, new ActivationFailed(activation.registrationId,
                        activation.userId, activation.domain, activation.serialNumber, activation.instanceId, reason, now)))
                .replaceWith(new ActivationOutcome.Failed(activation, reason));
    }

    /** A new active instance of the activation's user and serial number, with the activation's instance id and OTP parameters. */
    public AuthenticatorInstance newInstance(Activation activation, InstanceMode mode, Instant now) {
        AuthenticatorInstance instance = new AuthenticatorInstance();
        instance.instanceId = activation.instanceId;
        instance.domain = activation.domain;
        instance.userId = activation.userId;
        instance.serialNumber = activation.serialNumber;
        instance.mode = mode;
        instance.status = InstanceStatus.ACTIVE;
        instance.registrationId = activation.registrationId;
        instance.otp = activation.otp;
        instance.createdAt = now;
        return instance;
    }

    /**
     * Records a new instance and closes its activation: the instance row, then {@code activated} on the
     * public topic and the sealed credential for the otp-service, in that order, in this transaction.
     */
    public Uni<ActivationOutcome> activated(Activation activation, AuthenticatorInstance instance, Object activated,
                                           CredentialProvisioned credential, Instant now) {
        List<EventDraft> events = activatedEvents(activation, instance, activated, credential);
        closeActivated(activation, instance, now);
        return instances.persist(instance)
                .chain(() -> outbox.add(events.get(0)))
                .chain(() -> outbox.add(events.get(1)))
                .replaceWith(new ActivationOutcome.Activated(activation, instance));
    }

    /**
     * The same as {@link #activated} in one statement, outside any transaction of the caller, decided on
     * the row: only an activation still with its device added (this instance) and not expired is closed.
     * Null when it was not (nothing written): the caller takes the locked way.
     */
    public Uni<ActivationOutcome> activatedQuickly(Activation activation, AuthenticatorInstance instance, Object activated,
                                                   CredentialProvisioned credential, Instant now) {
        List<Outbox.Row> events = activatedEvents(activation, instance, activated, credential).stream().map(outbox::row).toList();
        return deviceCalls.activated(activation, instance, events).map(closed -> {
            if (!closed) {
                return null;
            }
            closeActivated(activation, instance, now);
            return new ActivationOutcome.Activated(activation, instance);
        });
    }

    private static void closeActivated(Activation activation, AuthenticatorInstance instance, Instant now) {
        LOG.infof("Activation %s: instance %s active (%s)", activation.registrationId, instance.instanceId,
                instance.mode.name().toLowerCase(Locale.ROOT));
        activation.close(ActivationStatus.ACTIVATED, now);
    }

    /** {@code activated} on the public topic, then the sealed credential for the otp-service, in that order. */
    private static List<EventDraft> activatedEvents(Activation activation, AuthenticatorInstance instance, Object activated,
                                                    CredentialProvisioned credential) {
        return List.of(draft(activation, AuthenticatorActivated.TYPE, activated), new EventDraft(CredentialProvisioned.TYPE,
                EventKey.of(instance.userId, instance.domain), "instance/" + instance.instanceId, credential));
    }

    /** An event about the activation, keyed by its user so that one user's events keep their order. */
    public static EventDraft draft(Activation activation, EventType type, Object data) {
        return new EventDraft(type, EventKey.of(activation.userId, activation.domain), "registration/" + activation.registrationId,
                data);
    }
}
