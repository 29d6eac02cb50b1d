package org.countersign.provisioning.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.ActivationFailed;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.DeviceAdded;
import org.countersign.protocol.ActivationMessage2;
import org.countersign.protocol.ActivationSignature;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.ProtocolUris;
import org.countersign.protocol.Secret;
import org.countersign.provisioning.config.ProvisioningConfig;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.domain.InstanceMode;
import org.countersign.provisioning.domain.InstanceStatus;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.provisioning.repository.ActivationRepository;
import org.countersign.provisioning.repository.AuthenticatorInstanceRepository;
import org.countersign.web.ProblemException;

/**
 * Offline activation with two images (protocol.md): add-device answers activation message 2,
 * activate checks the signature. Each call changes the activation under its PostgreSQL row lock,
 * writes its events to the outbox in the same transaction, and then refreshes the Redis copy.
 */
@ApplicationScoped
public class OfflineActivationService {

    static final String OFFLINE = "offline";

    private final PendingActivations pending;
    private final ActivationRepository activations;
    private final AuthenticatorInstanceRepository instances;
    private final ProvisioningSealer sealer;
    private final ActivationCache cache;
    private final Outbox outbox;
    private final ProvisioningConfig config;
    private final Clock clock;

    public OfflineActivationService(PendingActivations pending, ActivationRepository activations,
                                    AuthenticatorInstanceRepository instances, ProvisioningSealer sealer, ActivationCache cache,
                                    Outbox outbox, ProvisioningConfig config, Clock clock) {
        this.pending = pending;
        this.activations = activations;
        this.instances = instances;
        this.sealer = sealer;
        this.cache = cache;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    public Uni<ActivationOutcome> addDevice(String domain, String registrationId, DeviceCode deviceCode, String bearerToken) {
        return pending.admit(domain, registrationId, OFFLINE, bearerToken)
                .chain(() -> addDeviceLocked(domain, registrationId, deviceCode))
                .call(outcome -> cache.put(outcome.activation()));
    }

    public Uni<ActivationOutcome> activate(String domain, String registrationId, DeviceCode deviceCode, String signature,
                                           String bearerToken) {
        return pending.admit(domain, registrationId, OFFLINE, bearerToken)
                .chain(() -> activateLocked(domain, registrationId, deviceCode, signature))
                .call(outcome -> cache.put(outcome.activation()));
    }

    /** The activation as PostgreSQL has it; unknown ids and other domains' ids look alike. */
    public Uni<Activation> state(String domain, String registrationId) {
        return activations.findInDomain(domain, registrationId).onItem().ifNull().failWith(() -> new ProblemException(
                ProvisioningProblem.UNKNOWN_REGISTRATION, "No registration " + registrationId + " in this domain"));
    }

    public int attemptsLeft(Activation activation) {
        return activation.status.isFinal() ? 0 : Math.max(0, config.maxAttempts() - activation.failedAttempts);
    }

    @WithTransaction
    Uni<ActivationOutcome> addDeviceLocked(String domain, String registrationId, DeviceCode deviceCode) {
        Instant now = clock.instant();
        return lockOpen(domain, registrationId, now).chain(activation -> {
            if (activation.status == ActivationStatus.DEVICE_ADDED) {
                // protocol.md: a second add-device is treated as an attack, whatever code it carries.
                return count(activation, "repeated-add-device", now);
            }
            OtpPolicy otp = OtpPolicy.parse(config.otp());
            String instanceId = UUID.randomUUID().toString();
            Secret instanceSecret = Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH);
            Secret activationPassword = sealer.openActivationPassword(activation.sealedActivationPassword);
            Secret dn = Secret.copyOf(deviceCode.dn());
            String message;
            try {
                message = ProtocolUris.activationMessage2(ActivationMessage2.seal(activationPassword, deviceCode,
                        registrationId, instanceId, activation.serialNumber, otp, instanceSecret));
                activation.sealedInstanceSecret = sealer.sealInstanceSecret(instanceSecret);
                activation.sealedDeviceCode = sealer.sealDeviceCode(dn);
            } finally {
                instanceSecret.destroy();
                activationPassword.destroy();
                dn.destroy();
            }
            activation.instanceId = instanceId;
            activation.otp = otp.format();
            activation.status = ActivationStatus.DEVICE_ADDED;
            activation.updatedAt = now;
            return outbox.add(draft(activation, DeviceAdded.TYPE, new DeviceAdded(registrationId, instanceId,
                            activation.userId, domain, activation.serialNumber, now)))
                    .replaceWith(new ActivationOutcome.DeviceAdded(activation, message));
        });
    }

    @WithTransaction
    Uni<ActivationOutcome> activateLocked(String domain, String registrationId, DeviceCode typedCode, String signature) {
        Instant now = clock.instant();
        return lockOpen(domain, registrationId, now).chain(activation -> {
            if (activation.status == ActivationStatus.PENDING) {
                throw new ProblemException(ProvisioningProblem.ACTIVATION_STATE,
                        "No device was added to this registration yet: add the device first");
            }
            DeviceCode storedCode = storedDeviceCode(activation);
            Secret instanceSecret = sealer.openInstanceSecret(activation.sealedInstanceSecret);
            boolean right;
            try {
                ActivationSignature.verify(InstanceKeys.of(instanceSecret), registrationId, activation.instanceId, storedCode,
                        signature);
                // The typed code must be the one the device was added with; compared after the signature
                // so that both checks take their time whatever fails.
                right = storedCode.sameAs(typedCode);
            } catch (InvalidCodeException wrong) {
                right = false;
            } finally {
                storedCode.destroy();
            }
            if (!right) {
                instanceSecret.destroy();
                return count(activation, "wrong-signature", now);
            }
            return activated(activation, instanceSecret, now);
        });
    }

    private Uni<ActivationOutcome> activated(Activation activation, Secret instanceSecret, Instant now) {
        AuthenticatorInstance instance = new AuthenticatorInstance();
        instance.instanceId = activation.instanceId;
        instance.domain = activation.domain;
        instance.userId = activation.userId;
        instance.serialNumber = activation.serialNumber;
        instance.mode = InstanceMode.OFFLINE;
        instance.status = InstanceStatus.ACTIVE;
        instance.registrationId = activation.registrationId;
        instance.otp = activation.otp;
        instance.createdAt = now;
        CredentialProvisioned credential;
        try {
            instance.sealedInstanceSecret = sealer.sealInstanceSecret(instanceSecret);
            credential = CredentialProvisioned.ofInstanceSecret(instance.instanceId, instance.userId, instance.domain, instance.serialNumber,
                    instance.otp, sealer.instanceSecretForTransport(instanceSecret), now);
        } finally {
            instanceSecret.destroy();
        }
        activation.close(ActivationStatus.ACTIVATED, now);
        return instances.persist(instance)
                .chain(() -> outbox.add(draft(activation, AuthenticatorActivated.TYPE, AuthenticatorActivated.withoutDeviceKey(
                        activation.registrationId, instance.instanceId, instance.userId, instance.domain, instance.serialNumber,
                        "offline", instance.otp, now))))
                .chain(() -> outbox.add(new EventDraft(CredentialProvisioned.TYPE, EventKey.of(instance.userId, instance.domain),
                        "instance/" + instance.instanceId, credential)))
                .replaceWith(new ActivationOutcome.Activated(activation, instance));
    }

    /** Counts a failed attempt; the last one allowed fails the activation for good. */
    private Uni<ActivationOutcome> count(Activation activation, String why, Instant now) {
        activation.failedAttempts++;
        activation.updatedAt = now;
        int left = config.maxAttempts() - activation.failedAttempts;
        if (left > 0) {
            return Uni.createFrom().item(new ActivationOutcome.Counted(activation, why, left));
        }
        String reason = why.equals("wrong-signature") ? "too-many-wrong-signatures" : why;
        activation.close(ActivationStatus.FAILED, now);
        return outbox.add(draft(activation, ActivationFailed.TYPE, new ActivationFailed(activation.registrationId,
                        activation.userId, activation.domain, activation.serialNumber, activation.instanceId, reason, now)))
                .replaceWith(new ActivationOutcome.Failed(activation, reason));
    }

    /** The activation, locked, if a device call may still act on it; otherwise the problem that says why. */
    private Uni<Activation> lockOpen(String domain, String registrationId, Instant now) {
        return activations.lockInDomain(domain, registrationId).map(activation -> {
            PendingActivations.refuseIfClosed(activation, registrationId, OFFLINE, now);
            return activation;
        });
    }

    private DeviceCode storedDeviceCode(Activation activation) {
        Secret dn = sealer.openDeviceCode(activation.sealedDeviceCode);
        byte[] bytes = dn.reveal();
        try {
            return DeviceCode.ofDn(bytes);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
            dn.destroy();
        }
    }

    private static EventDraft draft(Activation activation, org.countersign.events.EventType type, Object data) {
        return new EventDraft(type, EventKey.of(activation.userId, activation.domain), "registration/" + activation.registrationId,
                data);
    }
}
