package org.countersign.provisioning.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.events.AtRestSealer;
import org.countersign.events.TransportSealer;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.AuthenticatorInstance;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * Every secret this service holds, sealed: the activation password, the device code and the
 * instance secret at rest, and the instance secret (or an otpauth app's key) again for the otp-service.
 * Each purpose and each owner is bound into the seal, so a value sealed for one can never be opened as
 * another, nor in another row: the activation password and the device code belong to their
 * registration, an instance secret to its instance (in the activation's row as in the instance's).
 */
@ApplicationScoped
public class ProvisioningSealer {

    static final String ACTIVATION_PASSWORD = "activation-password";
    static final String DEVICE_CODE = "device-code";
    static final String INSTANCE_SECRET = "instance-secret";

    private final AtRestSealer atRest;
    private final TransportSealer transport;

    public ProvisioningSealer(AtRestSealer atRest, TransportSealer transport) {
        this.atRest = atRest;
        this.transport = transport;
    }

    /**
     * The activation password as registration-service sent it for the registration {@code registrationId}
     * of {@code userId} in {@code domain}, re-sealed under this service's own key.
     */
    public String resealActivationPassword(SealedValue forTransport, String domain, String userId, String registrationId) {
        Secret ap = transport.open(forTransport, RegistrationPending.activationPasswordBinding(domain, userId, registrationId));
        try {
            return atRest.seal(ap, ofRegistration(ACTIVATION_PASSWORD, registrationId)).toText();
        } finally {
            ap.destroy();
        }
    }

    public Secret openActivationPassword(Activation activation) {
        return atRest.open(SealedValue.parse(activation.sealedActivationPassword),
                ofRegistration(ACTIVATION_PASSWORD, activation.registrationId));
    }

    public String sealDeviceCode(Secret digits, String registrationId) {
        return atRest.seal(digits, ofRegistration(DEVICE_CODE, registrationId)).toText();
    }

    public Secret openDeviceCode(Activation activation) {
        return atRest.open(SealedValue.parse(activation.sealedDeviceCode), ofRegistration(DEVICE_CODE, activation.registrationId));
    }

    /** IS at rest, in the activation's row or the instance's: either way it belongs to the instance. */
    public String sealInstanceSecret(Secret instanceSecret, String instanceId) {
        return atRest.seal(instanceSecret, ofInstance(instanceId)).toText();
    }

    public Secret openInstanceSecret(String sealed, String instanceId) {
        return atRest.open(SealedValue.parse(sealed), ofInstance(instanceId));
    }

    /** For the internal credentials topic: sealed to the otp-service's public key, which alone opens it. */
    public SealedValue instanceSecretForTransport(Secret instanceSecret, AuthenticatorInstance instance) {
        return transport.seal(CredentialProvisioned.SEALED_FOR, instanceSecret,
                CredentialProvisioned.instanceSecretBinding(instance.domain, instance.userId, instance.instanceId));
    }

    /** A stock authenticator app's raw key (otpauth), for the otp-service, which keeps it as the OTP key. */
    public SealedValue otpKeyForTransport(Secret otpKey, AuthenticatorInstance instance) {
        return transport.seal(CredentialProvisioned.SEALED_FOR, otpKey,
                CredentialProvisioned.otpKeyBinding(instance.domain, instance.userId, instance.instanceId));
    }

    private static Binding ofRegistration(String purpose, String registrationId) {
        return Binding.of(purpose, "registration", registrationId);
    }

    private static Binding ofInstance(String instanceId) {
        return Binding.of(INSTANCE_SECRET, "instance", instanceId);
    }
}
