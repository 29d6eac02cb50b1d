package org.countersign.provisioning.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.OtpVerifier;
import org.countersign.protocol.OtpWindow;
import org.countersign.secrets.Secret;
import org.countersign.provisioning.config.ProvisioningConfig;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.provisioning.domain.InstanceMode;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemType;

/**
 * Stock authenticator apps (otpauth): the registration's activation password is the app's OTP key,
 * which the user scanned as an otpauth URI. The credential is usable only once the user proves the
 * app works: the first right code, within one time step either side, activates it. A wrong code is
 * counted like a wrong signature. The confirming step is passed on to the otp-service as used, so
 * the same code cannot log in afterwards.
 */
@ApplicationScoped
public class OtpauthActivationService {

    static final Set<String> OTPAUTH = Set.of("otpauth");
    /** Steps accepted either side of now: a user reading the code as it changes. */
    static final int WINDOW = 1;

    private final PendingActivations pending;
    private final ActivationSteps steps;
    private final ProvisioningSealer sealer;
    private final ActivationCache cache;
    private final ProvisioningConfig config;
    private final Clock clock;

    public OtpauthActivationService(PendingActivations pending, ActivationSteps steps, ProvisioningSealer sealer,
                                    ActivationCache cache, ProvisioningConfig config, Clock clock) {
        this.pending = pending;
        this.steps = steps;
        this.sealer = sealer;
        this.cache = cache;
        this.config = config;
        this.clock = clock;
    }

    public Uni<ActivationOutcome> confirm(String domain, String registrationId, String code, String bearerToken) {
        return pending.admit(domain, registrationId, OTPAUTH, bearerToken)
                .chain(() -> confirmLocked(domain, registrationId, code))
                .call(outcome -> cache.put(outcome.activation()));
    }

    @WithTransaction
    Uni<ActivationOutcome> confirmLocked(String domain, String registrationId, String code) {
        Instant now = clock.instant();
        return steps.lockOpen(domain, registrationId, OTPAUTH, now).chain(activation -> {
            OtpPolicy policy = OtpPolicy.parse(activation.otp == null ? config.otp() : activation.otp);
            if (!policy.wellFormed(code)) {
                // A typo in the length, not a guess: no attempt is used.
                throw new ProblemException(ProblemType.VALIDATION, "The code has " + policy.digits() + " digits");
            }
            OtpWindow window = OtpWindow.around(policy.timeStep(now.getEpochSecond()), WINDOW, WINDOW);
            if (activation.acceptedStep != null) {
                window = window.after(activation.acceptedStep);
            }
            Secret key = sealer.openActivationPassword(activation);
            long step;
            try {
                step = OtpVerifier.of(policy, key).verify(code, window);
            } catch (InvalidCodeException wrong) {
                key.destroy();
                return steps.count(activation, "wrong-otp", now);
            }
            return activated(activation, policy, key, step, now);
        });
    }

    private Uni<ActivationOutcome> activated(Activation activation, OtpPolicy policy, Secret key, long step, Instant now) {
        activation.acceptedStep = step;
        activation.instanceId = UUID.randomUUID().toString();
        activation.otp = policy.format();
        AuthenticatorInstance instance = steps.newInstance(activation, InstanceMode.OTPAUTH, now);
        CredentialProvisioned credential;
        try {
            credential = new CredentialProvisioned(instance.instanceId, instance.userId, instance.domain, instance.serialNumber,
                    instance.otp, null, sealer.otpKeyForTransport(key, instance), step, now);
        } finally {
            key.destroy();
        }
        return steps.activated(activation, instance, AuthenticatorActivated.withoutDeviceKey(activation.registrationId,
                instance.instanceId, instance.userId, instance.domain, instance.serialNumber, "otpauth", instance.otp, now),
                credential, now);
    }
}
