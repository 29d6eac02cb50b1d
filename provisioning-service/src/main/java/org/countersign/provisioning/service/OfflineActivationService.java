package org.countersign.provisioning.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.countersign.events.EventDraft;
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
import org.countersign.provisioning.repository.DeviceCallRepository;
import org.countersign.web.ProblemException;

/**
 * Offline activation with two images (protocol.md): add-device answers activation message 2,
 * activate checks the signature. Each call changes the activation in one statement that decides on the
 * row itself (or, off the usual way, under its row lock), writes its events to the outbox in the same
 * transaction, and then refreshes the Redis copy.
 */
@ApplicationScoped
public class OfflineActivationService {

    static final Set<String> OFFLINE = Set.of("offline");

    private final PendingActivations pending;
    private final DeviceCallRepository deviceCalls;
    private final ActivationSteps steps;
    private final ProvisioningSealer sealer;
    private final ActivationCache cache;
    private final Outbox outbox;
    private final ProvisioningConfig config;
    private final Clock clock;

    public OfflineActivationService(PendingActivations pending, DeviceCallRepository deviceCalls, ActivationSteps steps,
                                    ProvisioningSealer sealer, ActivationCache cache, Outbox outbox, ProvisioningConfig config,
                                    Clock clock) {
        this.pending = pending;
        this.deviceCalls = deviceCalls;
        this.steps = steps;
        this.sealer = sealer;
        this.cache = cache;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A pending activation, as seen, takes the device in one deciding statement ({@link DeviceCallRepository});
     * anything else (a second add-device, a closed, expired or other activation, a row that moved on since
     * it was seen) goes the locked way, which decides under the row lock and answers as it always did.
     */
    public Uni<ActivationOutcome> addDevice(String domain, String registrationId, DeviceCode deviceCode, String bearerToken) {
        return pending.seen(domain, registrationId, OFFLINE, bearerToken)
                .chain(seen -> seen.recorded() ? addDeviceQuickly(seen.activation(), deviceCode)
                        : addDeviceRecording(seen.activation(), deviceCode))
                .chain(outcome -> outcome != null ? Uni.createFrom().item(outcome)
                        : addDeviceLocked(domain, registrationId, deviceCode))
                .call(outcome -> cache.put(outcome.activation()));
    }

    /**
     * The activation is read once, the signature checked, and one statement closes it with its instance
     * and events; anything but a right signature on an activation with its device added goes the locked
     * way (which counts a wrong signature), as does an activation not recorded here yet.
     */
    public Uni<ActivationOutcome> activate(String domain, String registrationId, DeviceCode deviceCode, String signature,
                                           String bearerToken) {
        Uni<ActivationOutcome> quickly = deviceCalls.find(registrationId).chain(found -> found == null
                ? pending.admit(domain, registrationId, OFFLINE, bearerToken).replaceWith((ActivationOutcome) null)
                : activateQuickly(domain, found, deviceCode, signature));
        return quickly.chain(outcome -> outcome != null ? Uni.createFrom().item(outcome)
                        : activateLocked(domain, registrationId, deviceCode, signature))
                .call(outcome -> cache.put(outcome.activation()));
    }

    /** The device added by one statement, or null when the locked way must decide. */
    private Uni<ActivationOutcome> addDeviceQuickly(Activation seen, DeviceCode deviceCode) {
        Instant now = clock.instant();
        if (!takesADeviceNow(seen, now)) {
            return Uni.createFrom().nullItem();
        }
        String message = addDeviceTo(seen, deviceCode, now);
        return deviceCalls.deviceAdded(seen, outbox.row(deviceAddedEvent(seen, now)))
                .map(added -> added ? new ActivationOutcome.DeviceAdded(seen, message) : null);
    }

    /**
     * The device added to a registration that only registration-service knew: recorded and added by one
     * statement, as most are when a device calls as soon as its user registered, before the event. One
     * recorded meanwhile, by its event, takes the device by the one statement that adds it to a pending row
     * (under load the event often lands while the call runs); one that cannot take the device, or whose row
     * moved on, goes the usual ways, which refuse or decide as they always did.
     */
    private Uni<ActivationOutcome> addDeviceRecording(Activation fetched, DeviceCode deviceCode) {
        Instant now = clock.instant();
        if (!takesADeviceNow(fetched, now)) {
            return pending.record(fetched).chain(recorded -> addDeviceQuickly(recorded, deviceCode));
        }
        String message = addDeviceTo(fetched, deviceCode, now);
        Outbox.Row deviceAdded = outbox.row(deviceAddedEvent(fetched, now));
        return pending.recordAdded(fetched, deviceAdded)
                .chain(recorded -> recorded ? Uni.createFrom().item(true) : deviceCalls.deviceAdded(fetched, deviceAdded))
                .map(added -> added ? new ActivationOutcome.DeviceAdded(fetched, message) : null);
    }

    /** Whether one statement may add the device: a pending offline activation that has not expired. */
    private static boolean takesADeviceNow(Activation activation, Instant now) {
        return activation.status == ActivationStatus.PENDING && OFFLINE.contains(activation.activationType) && !activation.expiredAt(now);
    }

    /** Activated by one statement, or null when the locked way must decide (it counts a wrong signature). */
    private Uni<ActivationOutcome> activateQuickly(String domain, Activation found, DeviceCode typedCode, String signature) {
        Instant now = clock.instant();
        PendingActivations.refuseIfClosed(found.domain.equals(domain) ? found : null, found.registrationId, OFFLINE, now);
        if (found.status == ActivationStatus.PENDING) {
            throw noDeviceYet();
        }
        Secret instanceSecret = verified(found, typedCode, signature);
        if (instanceSecret == null) {
            return Uni.createFrom().nullItem();
        }
        Activating activating = activating(found, instanceSecret, now);
        return steps.activatedQuickly(found, activating.instance(), activating.activated(), activating.credential(), now);
    }

    @WithTransaction
    Uni<ActivationOutcome> addDeviceLocked(String domain, String registrationId, DeviceCode deviceCode) {
        Instant now = clock.instant();
        return steps.lockOpen(domain, registrationId, OFFLINE, now).chain(activation -> {
            if (activation.status == ActivationStatus.DEVICE_ADDED) {
                // protocol.md: a second add-device is treated as an attack, whatever code it carries.
                return steps.count(activation, "repeated-add-device", now);
            }
            String message = addDeviceTo(activation, deviceCode, now);
            return outbox.add(deviceAddedEvent(activation, now)).replaceWith(new ActivationOutcome.DeviceAdded(activation, message));
        });
    }

    /**
     * Gives the pending activation its device: a new instance id and secret, the device code and the
     * secret sealed into it, status DEVICE_ADDED. Returns activation message 2.
     */
    private String addDeviceTo(Activation activation, DeviceCode deviceCode, Instant now) {
        OtpPolicy otp = OtpPolicy.parse(config.otp());
        String instanceId = UUID.randomUUID().toString();
        Secret instanceSecret = Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH);
        Secret activationPassword = sealer.openActivationPassword(activation);
        Secret dn = Secret.copyOf(deviceCode.dn());
        String message;
        try {
            message = ProtocolUris.activationMessage2(ActivationMessage2.seal(activationPassword, deviceCode,
                    activation.registrationId, instanceId, activation.serialNumber, otp, instanceSecret));
            activation.sealedInstanceSecret = sealer.sealInstanceSecret(instanceSecret, instanceId);
            activation.sealedDeviceCode = sealer.sealDeviceCode(dn, activation.registrationId);
        } finally {
            instanceSecret.destroy();
            activationPassword.destroy();
            dn.destroy();
        }
        activation.instanceId = instanceId;
        activation.otp = otp.format();
        activation.status = ActivationStatus.DEVICE_ADDED;
        activation.updatedAt = now;
        return message;
    }

    private static EventDraft deviceAddedEvent(Activation activation, Instant now) {
        return ActivationSteps.draft(activation, DeviceAdded.TYPE, new DeviceAdded(activation.registrationId,
                activation.instanceId, activation.userId, activation.domain, activation.serialNumber, now));
    }

    @WithTransaction
    Uni<ActivationOutcome> activateLocked(String domain, String registrationId, DeviceCode typedCode, String signature) {
        Instant now = clock.instant();
        return steps.lockOpen(domain, registrationId, OFFLINE, now).chain(activation -> {
            if (activation.status == ActivationStatus.PENDING) {
                throw noDeviceYet();
            }
            Secret instanceSecret = verified(activation, typedCode, signature);
            if (instanceSecret == null) {
                return steps.count(activation, "wrong-signature", now);
            }
            Activating activating = activating(activation, instanceSecret, now);
            return steps.activated(activation, activating.instance(), activating.activated(), activating.credential(), now);
        });
    }

    private static ProblemException noDeviceYet() {
        return new ProblemException(ProvisioningProblem.ACTIVATION_STATE,
                "No device was added to this registration yet: add the device first");
    }

    /**
     * The instance secret when the signature is the device's and the typed code the one it was added
     * with; null (nothing left open) when either is wrong.
     */
    private Secret verified(Activation activation, DeviceCode typedCode, String signature) {
        DeviceCode storedCode = storedDeviceCode(activation);
        Secret instanceSecret = sealer.openInstanceSecret(activation.sealedInstanceSecret, activation.instanceId);
        boolean right;
        try {
            ActivationSignature.verify(InstanceKeys.of(instanceSecret), activation.registrationId, activation.instanceId,
                    storedCode, signature);
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
            return null;
        }
        return instanceSecret;
    }

    /** The new instance and its two events, the instance secret sealed for each; the secret is destroyed. */
    private record Activating(AuthenticatorInstance instance, AuthenticatorActivated activated, CredentialProvisioned credential) {
    }

    private Activating activating(Activation activation, Secret instanceSecret, Instant now) {
        AuthenticatorInstance instance = steps.newInstance(activation, InstanceMode.OFFLINE, now);
        CredentialProvisioned credential;
        try {
            instance.sealedInstanceSecret = sealer.sealInstanceSecret(instanceSecret, instance.instanceId);
            credential = CredentialProvisioned.ofInstanceSecret(instance.instanceId, instance.userId, instance.domain,
                    instance.serialNumber, instance.otp, sealer.instanceSecretForTransport(instanceSecret, instance), now);
        } finally {
            instanceSecret.destroy();
        }
        return new Activating(instance, AuthenticatorActivated.withoutDeviceKey(activation.registrationId,
                instance.instanceId, instance.userId, instance.domain, instance.serialNumber, "offline", instance.otp, now),
                credential);
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
