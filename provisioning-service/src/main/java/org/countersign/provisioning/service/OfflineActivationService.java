package org.countersign.provisioning.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.countersign.events.Outbox;
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
import org.countersign.secrets.Secret;
import org.countersign.provisioning.config.ProvisioningConfig;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.domain.InstanceMode;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.web.ProblemException;

/**
 * Offline activation with two images (protocol.md): add-device answers activation message 2,
 * activate checks the signature. Each call changes the activation under its PostgreSQL row lock,
 * writes its events to the outbox in the same transaction, and then refreshes the Redis copy.
 */
@ApplicationScoped
public class OfflineActivationService {

    static final Set<String> OFFLINE = Set.of("offline");

    private final PendingActivations pending;
    private final ActivationSteps steps;
    private final ProvisioningSealer sealer;
    private final ActivationCache cache;
    private final Outbox outbox;
    private final ProvisioningConfig config;
    private final Clock clock;

    public OfflineActivationService(PendingActivations pending, ActivationSteps steps, ProvisioningSealer sealer,
                                    ActivationCache cache, Outbox outbox, ProvisioningConfig config, Clock clock) {
        this.pending = pending;
        this.steps = steps;
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

    @WithTransaction
    Uni<ActivationOutcome> addDeviceLocked(String domain, String registrationId, DeviceCode deviceCode) {
        Instant now = clock.instant();
        return steps.lockOpen(domain, registrationId, OFFLINE, now).chain(activation -> {
            if (activation.status == ActivationStatus.DEVICE_ADDED) {
                // protocol.md: a second add-device is treated as an attack, whatever code it carries.
                return steps.count(activation, "repeated-add-device", now);
            }
            OtpPolicy otp = OtpPolicy.parse(config.otp());
            String instanceId = UUID.randomUUID().toString();
            Secret instanceSecret = Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH);
            Secret activationPassword = sealer.openActivationPassword(activation);
            Secret dn = Secret.copyOf(deviceCode.dn());
            String message;
            try {
                message = ProtocolUris.activationMessage2(ActivationMessage2.seal(activationPassword, deviceCode,
                        registrationId, instanceId, activation.serialNumber, otp, instanceSecret));
                activation.sealedInstanceSecret = sealer.sealInstanceSecret(instanceSecret, instanceId);
                activation.sealedDeviceCode = sealer.sealDeviceCode(dn, registrationId);
            } finally {
                instanceSecret.destroy();
                activationPassword.destroy();
                dn.destroy();
            }
            activation.instanceId = instanceId;
            activation.otp = otp.format();
            activation.status = ActivationStatus.DEVICE_ADDED;
            activation.updatedAt = now;
            return outbox.add(ActivationSteps.draft(activation, DeviceAdded.TYPE, new DeviceAdded(registrationId, instanceId,
                            activation.userId, domain, activation.serialNumber, now)))
                    .replaceWith(new ActivationOutcome.DeviceAdded(activation, message));
        });
    }

    @WithTransaction
    Uni<ActivationOutcome> activateLocked(String domain, String registrationId, DeviceCode typedCode, String signature) {
        Instant now = clock.instant();
        return steps.lockOpen(domain, registrationId, OFFLINE, now).chain(activation -> {
            if (activation.status == ActivationStatus.PENDING) {
                throw new ProblemException(ProvisioningProblem.ACTIVATION_STATE,
                        "No device was added to this registration yet: add the device first");
            }
            DeviceCode storedCode = storedDeviceCode(activation);
            Secret instanceSecret = sealer.openInstanceSecret(activation.sealedInstanceSecret, activation.instanceId);
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
                return steps.count(activation, "wrong-signature", now);
            }
            return activated(activation, instanceSecret, now);
        });
    }

    private Uni<ActivationOutcome> activated(Activation activation, Secret instanceSecret, Instant now) {
        AuthenticatorInstance instance = steps.newInstance(activation, InstanceMode.OFFLINE, now);
        CredentialProvisioned credential;
        try {
            instance.sealedInstanceSecret = sealer.sealInstanceSecret(instanceSecret, instance.instanceId);
            credential = CredentialProvisioned.ofInstanceSecret(instance.instanceId, instance.userId, instance.domain,
                    instance.serialNumber, instance.otp, sealer.instanceSecretForTransport(instanceSecret, instance), now);
        } finally {
            instanceSecret.destroy();
        }
        return steps.activated(activation, instance, AuthenticatorActivated.withoutDeviceKey(activation.registrationId,
                instance.instanceId, instance.userId, instance.domain, instance.serialNumber, "offline", instance.otp, now),
                credential, now);
    }

    private DeviceCode storedDeviceCode(Activation activation) {
        Secret dn = sealer.openDeviceCode(activation);
        byte[] bytes = dn.reveal();
        try {
            return DeviceCode.ofDn(bytes);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
            dn.destroy();
        }
    }
}
