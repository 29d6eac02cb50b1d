package org.countersign.provisioning.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.countersign.events.Outbox;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.DeviceAdded;
import org.countersign.events.payload.DeviceMigrated;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.InvalidEnrolmentException;
import org.countersign.protocol.InvalidSignatureException;
import org.countersign.protocol.OnlineConfirmation;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.P256;
import org.countersign.protocol.SealedInstanceSecret;
import org.countersign.secrets.Secret;
import org.countersign.protocol.VerifiedEnrolment;
import org.countersign.provisioning.config.ProvisioningConfig;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.domain.InstanceMode;
import org.countersign.provisioning.domain.InstanceStatus;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.provisioning.repository.AuthenticatorInstanceRepository;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemType;
import org.jboss.logging.Logger;

/**
 * Online activation with device keys (protocol.md, "Online activation"), and the migration of an
 * offline instance online ("Rescan Device"). The device has no bearer token: its proof, keyed with
 * the activation password, is what authenticates it, so both calls find the registration by its id
 * alone and act in the registration's own domain. Anyone who has seen a registration id (logs,
 * public-topic events) can post to both routes, so only what the holder of the activation password or
 * of the enrolled device key could have sent uses an attempt: a repeated enrolment with a valid proof,
 * and a confirmation whose signature verifies under the enrolled key but whose code or instance id is
 * wrong. A wrong proof or an unverifiable signature is refused without counting (the 160-bit activation
 * password needs no attempt limit, and an outsider can never produce a verifying signature). Each call
 * changes the activation under its row lock with its events in the same transaction; the CPU work (the
 * proof, the CSR's signature, issuing, ECDH) runs off the event loop.
 */
@ApplicationScoped
public class OnlineActivationService {

    private static final Logger LOG = Logger.getLogger(OnlineActivationService.class);

    static final String ONLINE = "online";
    static final String MIGRATE = Activation.MIGRATE;
    static final Set<String> TYPES = Set.of(ONLINE, MIGRATE);

    /** What the device sends besides its CSR and proof. */
    public record Device(String platform, String pushToken, String deviceName, boolean biometric) {
    }

    private final PendingActivations pending;
    private final ActivationSteps steps;
    private final AuthenticatorInstanceRepository instances;
    private final DeviceCertificateAuthority ca;
    private final ProvisioningSealer sealer;
    private final ActivationCache cache;
    private final Outbox outbox;
    private final ProvisioningConfig config;
    private final Vertx vertx;
    private final Clock clock;

    public OnlineActivationService(PendingActivations pending, ActivationSteps steps, AuthenticatorInstanceRepository instances,
                                   DeviceCertificateAuthority ca, ProvisioningSealer sealer, ActivationCache cache,
                                   Outbox outbox, ProvisioningConfig config, Vertx vertx, Clock clock) {
        this.pending = pending;
        this.steps = steps;
        this.instances = instances;
        this.ca = ca;
        this.sealer = sealer;
        this.cache = cache;
        this.outbox = outbox;
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
    }

    /**
     * The enrolment: checks, in order, the registration's state and type, the proof (constant time),
     * the CSR's own signature, its P-256 key and its subject CN=&lt;sn&gt;; then issues the device's
     * certificate and, for a new instance, seals a new IS to the device key.
     *
     * @return {@link ActivationOutcome.Enrolled}, or a counted refusal
     */
    public Uni<ActivationOutcome> enrol(String registrationId, String csr, String proof, Device device) {
        return pending.admitDevice(registrationId, TYPES)
                .chain(() -> enrolLocked(registrationId, csr, proof, device))
                .call(outcome -> cache.put(outcome.activation()));
    }

    /** The confirmation: the instance is active only once both the code and the device's signature check out. */
    public Uni<ActivationOutcome> confirm(String registrationId, String instanceId, String code, String signature) {
        return pending.admitDevice(registrationId, TYPES)
                .chain(() -> confirmLocked(registrationId, instanceId, code, signature))
                .call(outcome -> cache.put(outcome.activation()));
    }

    @WithTransaction
    Uni<ActivationOutcome> enrolLocked(String registrationId, String csr, String proof, Device device) {
        Instant now = clock.instant();
        return steps.lockOpenForDevice(registrationId, TYPES, now).chain(activation -> {
            if (activation.status == ActivationStatus.DEVICE_ADDED) {
                // As with a second add-device: one registration enrols one device, and a second try is an attack,
                // but only by someone who holds the activation password; anyone else is refused uncounted.
                return checkProof(activation, csr, proof).chain(() -> steps.count(activation, "repeated-enrolment", now));
            }
            // A request that cannot succeed uses no attempt.
            ca.requireAvailable(now);
            Uni<AuthenticatorInstance> migrating = activation.activationType.equals(MIGRATE)
                    ? instances.lockInDomain(activation.domain, activation.migrateInstanceId) : Uni.createFrom().nullItem();
            return migrating.chain(instance -> checkEnrolment(activation, csr, proof).chain(enrolment -> {
                if (activation.activationType.equals(MIGRATE) && !migratable(instance, activation)) {
                    return steps.failForGood(activation, ActivationOutcome.INSTANCE_NOT_MIGRATABLE, now);
                }
                return enrolled(activation, enrolment, instance, device, now);
            }));
        });
    }

    /** The proof and the CSR, off the event loop; a problem, never counted, for a wrong proof or a bad CSR. */
    private Uni<VerifiedEnrolment> checkEnrolment(Activation activation, String csr, String proof) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            Secret ap = sealer.openActivationPassword(activation);
            try {
                return EnrolmentRequest.verify(ap, activation.registrationId, activation.serialNumber, csr, proof);
            } catch (InvalidEnrolmentException e) {
                throw enrolmentProblem(e.reason());
            } finally {
                ap.destroy();
            }
        }), false);
    }

    /**
     * The proof alone, off the event loop, for a repeated enrolment: a wrong proof or an undecodable CSR
     * is its uncounted problem; with a right proof the CSR's own faults do not matter, the caller holds
     * the activation password and its second enrolment is counted.
     */
    private Uni<Void> checkProof(Activation activation, String csr, String proof) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            Secret ap = sealer.openActivationPassword(activation);
            try {
                EnrolmentRequest.verify(ap, activation.registrationId, activation.serialNumber, csr, proof);
            } catch (InvalidEnrolmentException e) {
                if (e.reason() == InvalidEnrolmentException.Reason.PROOF
                        || e.reason() == InvalidEnrolmentException.Reason.MALFORMED_CSR_ENCODING) {
                    throw enrolmentProblem(e.reason());
                }
            } finally {
                ap.destroy();
            }
            return (Void) null;
        }), false).replaceWithVoid();
    }

    private static ProblemException enrolmentProblem(InvalidEnrolmentException.Reason reason) {
        return switch (reason) {
            case MALFORMED_CSR_ENCODING -> new ProblemException(ProblemType.VALIDATION, "csr is not base64url (RFC 4648 section 5, "
                    + "no padding); no attempt was used");
            case MALFORMED_CSR -> new ProblemException(ProvisioningProblem.INVALID_CSR, "The CSR is not one DER PKCS#10 request");
            case SIGNATURE -> new ProblemException(ProvisioningProblem.WRONG_CSR_SIGNATURE,
                    "The CSR's signature does not verify with the key it carries (SHA256withECDSA)");
            case KEY_NOT_P256 -> new ProblemException(ProvisioningProblem.UNSUPPORTED_DEVICE_KEY,
                    "The device key must be an EC key on the named curve P-256");
            case SUBJECT -> new ProblemException(ProvisioningProblem.WRONG_CSR_SUBJECT,
                    "The CSR's subject must be exactly CN=<the serial number of the enrolment URI>");
            case PROOF -> new ProblemException(ProvisioningProblem.WRONG_PROOF, "The proof does not match the activation password "
                    + "and the CSR; no attempt was used");
        };
    }

    /** An active offline instance of the registration's own user, with its secret: the only kind that may move online. */
    private static boolean migratable(AuthenticatorInstance instance, Activation activation) {
        return instance != null && instance.userId.equals(activation.userId) && instance.status == InstanceStatus.ACTIVE
                && instance.mode == InstanceMode.OFFLINE && instance.sealedInstanceSecret != null;
    }

    private Uni<ActivationOutcome> enrolled(Activation activation, VerifiedEnrolment enrolment, AuthenticatorInstance instance,
                                            Device device, Instant now) {
        boolean migration = instance != null;
        String instanceId = migration ? instance.instanceId : UUID.randomUUID().toString();
        OtpPolicy otp = OtpPolicy.parse(migration ? instance.otp : config.otp());
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            DeviceCertificateAuthority.Issued issued = ca.issue(activation.serialNumber, enrolment.devicePublicKey(), now);
            if (migration) {
                return new Issuance(issued, null, null);
            }
            Secret instanceSecret = Secret.random(InstanceKeys.INSTANCE_SECRET_LENGTH);
            try {
                return new Issuance(issued, SealedInstanceSecret.seal(enrolment, instanceId, otp, instanceSecret),
                        sealer.sealInstanceSecret(instanceSecret, instanceId));
            } finally {
                instanceSecret.destroy();
            }
        }), false).chain(issuance -> {
            activation.instanceId = instanceId;
            activation.otp = otp.format();
            activation.sealedInstanceSecret = issuance.sealedAtRest();
            activation.devicePublicKey = P256.encodeSpki(enrolment.devicePublicKey());
            activation.csrHash = enrolment.h();
            activation.certificate = issuance.certificate().der();
            activation.certificateSerial = issuance.certificate().serial();
            activation.certificateNotAfter = issuance.certificate().notAfter();
            activation.platform = device.platform();
            activation.pushToken = device.pushToken();
            activation.deviceName = device.deviceName();
            activation.biometric = device.biometric();
            activation.status = ActivationStatus.DEVICE_ADDED;
            activation.updatedAt = now;
            LOG.infof("Activation %s: device enrolled as instance %s, certificate %s", activation.registrationId, instanceId,
                    activation.certificateSerial);
            return outbox.add(ActivationSteps.draft(activation, DeviceAdded.TYPE, new DeviceAdded(activation.registrationId,
                            instanceId, activation.userId, activation.domain, activation.serialNumber, now)))
                    .replaceWith(new ActivationOutcome.Enrolled(activation, issuance.certificate().der(), ca.caCertificate(),
                            issuance.sealedSecret(), config.pushChannelUrl()));
        });
    }

    /** The certificate, and for a new instance IS sealed to the device and, apart, at rest. */
    private record Issuance(DeviceCertificateAuthority.Issued certificate, SealedInstanceSecret sealedSecret, String sealedAtRest) {
    }

    @WithTransaction
    Uni<ActivationOutcome> confirmLocked(String registrationId, String instanceId, String code, String signature) {
        Instant now = clock.instant();
        return steps.lockOpenForDevice(registrationId, TYPES, now).chain(activation -> {
            if (activation.status == ActivationStatus.PENDING) {
                throw new ProblemException(ProvisioningProblem.ACTIVATION_STATE,
                        "No device enrolled on this registration yet: enrol first");
            }
            boolean migration = activation.activationType.equals(MIGRATE);
            Uni<AuthenticatorInstance> migrating = migration
                    ? instances.lockInDomain(activation.domain, activation.instanceId) : Uni.createFrom().nullItem();
            return migrating.chain(instance -> {
                if (migration && !migratable(instance, activation)) {
                    // Revoked, or moved online by another registration, since the enrolment.
                    return steps.failForGood(activation, ActivationOutcome.INSTANCE_NOT_MIGRATABLE, now);
                }
                String sealedSecret = migration ? instance.sealedInstanceSecret : activation.sealedInstanceSecret;
                return checkConfirmation(activation, sealedSecret, instanceId, code, signature).chain(check -> switch (check) {
                    case RIGHT -> migration ? migrated(activation, instance, now) : activated(activation, now);
                    // Only the device holding the enrolled key can get here: the counter limits its guesses at the code.
                    case WRONG_CODE -> steps.count(activation, "wrong-confirmation", now);
                    // Anyone can send this; counting it would let whoever knows the registration id fail the activation.
                    case UNSIGNED -> throw new ProblemException(ProvisioningProblem.WRONG_SIGNATURE, "The signature does not "
                            + "verify under the enrolled device key; no attempt was used");
                });
            });
        });
    }

    /** What a confirmation's checks found. */
    private enum Confirmation {
        /** The signature verifies under the enrolled key, and the code and instance id are right. */
        RIGHT,
        /** The signature verifies under the enrolled key, but the code or the instance id is wrong: counted. */
        WRONG_CODE,
        /** The signature does not verify under the enrolled key: not the enrolled device, not counted. */
        UNSIGNED
    }

    /** Both checks, whatever the first one says, off the event loop. */
    private Uni<Confirmation> checkConfirmation(Activation activation, String sealedSecret, String instanceId, String code,
                                           String signature) {
        String rid = activation.registrationId;
        String iid = activation.instanceId;
        String h = activation.csrHash;
        ECPublicKey deviceKey = P256.decodeSpki(activation.devicePublicKey);
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            Secret instanceSecret = sealer.openInstanceSecret(sealedSecret, iid);
            boolean codeRight;
            try {
                OnlineConfirmation.verifyCode(InstanceKeys.of(instanceSecret), rid, iid, h, code);
                codeRight = true;
            } catch (InvalidCodeException e) {
                codeRight = false;
            } finally {
                instanceSecret.destroy();
            }
            boolean signatureRight;
            try {
                OnlineConfirmation.verifySignature(deviceKey, rid, iid, code, signature);
                signatureRight = true;
            } catch (InvalidSignatureException e) {
                signatureRight = false;
            }
            if (!signatureRight) {
                return Confirmation.UNSIGNED;
            }
            // The instance id is not secret: it was in the enrolment's answer.
            return codeRight & iid.equals(instanceId) ? Confirmation.RIGHT : Confirmation.WRONG_CODE;
        }), false);
    }

    private Uni<ActivationOutcome> activated(Activation activation, Instant now) {
        AuthenticatorInstance instance = steps.newInstance(activation, InstanceMode.ONLINE, now);
        withDevice(instance, activation);
        Secret instanceSecret = sealer.openInstanceSecret(activation.sealedInstanceSecret, activation.instanceId);
        CredentialProvisioned credential;
        try {
            instance.sealedInstanceSecret = activation.sealedInstanceSecret;
            credential = CredentialProvisioned.ofInstanceSecret(instance.instanceId, instance.userId, instance.domain,
                    instance.serialNumber, instance.otp, sealer.instanceSecretForTransport(instanceSecret, instance), now);
        } finally {
            instanceSecret.destroy();
        }
        return steps.activated(activation, instance, new AuthenticatorActivated(activation.registrationId, instance.instanceId,
                instance.userId, instance.domain, instance.serialNumber, "online", instance.otp, base64url(instance.publicKey),
                base64url(instance.certificate), instance.platform, instance.biometric, instance.pushToken, instance.deviceName, now),
                credential, now);
    }

    /**
     * The same instance, now online: its id, secret, OTPs and licence activation stay as they were,
     * so the otp-service's credential is untouched; it gains the device key and certificate.
     */
    private Uni<ActivationOutcome> migrated(Activation activation, AuthenticatorInstance instance, Instant now) {
        withDevice(instance, activation);
        instance.mode = InstanceMode.ONLINE;
        instance.migratedAt = now;
        activation.close(ActivationStatus.ACTIVATED, now);
        LOG.infof("Activation %s: instance %s migrated online", activation.registrationId, instance.instanceId);
        return outbox.add(ActivationSteps.draft(activation, DeviceMigrated.TYPE, new DeviceMigrated(activation.registrationId,
                        instance.instanceId, instance.userId, instance.domain, instance.serialNumber, base64url(instance.publicKey),
                        base64url(instance.certificate), instance.platform, instance.biometric, instance.pushToken,
                        instance.deviceName, now)))
                .replaceWith(new ActivationOutcome.Activated(activation, instance));
    }

    private static void withDevice(AuthenticatorInstance instance, Activation activation) {
        instance.publicKey = activation.devicePublicKey;
        instance.certificate = activation.certificate;
        instance.certificateSerial = activation.certificateSerial;
        instance.certificateNotAfter = activation.certificateNotAfter;
        instance.platform = activation.platform;
        instance.deviceName = activation.deviceName;
        instance.biometric = activation.biometric;
        instance.pushToken = activation.pushToken;
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
