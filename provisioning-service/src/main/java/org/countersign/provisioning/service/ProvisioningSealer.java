package org.countersign.provisioning.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.events.AtRestSealer;
import org.countersign.events.TransportSealer;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * Every secret this service holds, sealed: the activation password, the device code and the
 * instance secret at rest, and the instance secret (or an otpauth app's key) again for the otp-service. Each purpose is bound
 * into the AEAD, so a value sealed for one can never be opened as another.
 */
@ApplicationScoped
public class ProvisioningSealer {

    static final String ACTIVATION_PASSWORD = "activation-password";
    static final String DEVICE_CODE = "device-code";
    static final String INSTANCE_SECRET = "instance-secret";
    static final String OTP_KEY = "otp-key";

    private final AtRestSealer atRest;
    private final TransportSealer transport;

    public ProvisioningSealer(AtRestSealer atRest, TransportSealer transport) {
        this.atRest = atRest;
        this.transport = transport;
    }

    /** The activation password as registration-service sent it, re-sealed under this service's own key. */
    public String resealActivationPassword(SealedValue forTransport) {
        Secret ap = transport.open(forTransport, ACTIVATION_PASSWORD);
        try {
            return atRest.seal(ap, ACTIVATION_PASSWORD).toText();
        } finally {
            ap.destroy();
        }
    }

    public Secret openActivationPassword(String sealed) {
        return atRest.open(SealedValue.parse(sealed), ACTIVATION_PASSWORD);
    }

    public String sealDeviceCode(Secret digits) {
        return atRest.seal(digits, DEVICE_CODE).toText();
    }

    public Secret openDeviceCode(String sealed) {
        return atRest.open(SealedValue.parse(sealed), DEVICE_CODE);
    }

    public String sealInstanceSecret(Secret instanceSecret) {
        return atRest.seal(instanceSecret, INSTANCE_SECRET).toText();
    }

    public Secret openInstanceSecret(String sealed) {
        return atRest.open(SealedValue.parse(sealed), INSTANCE_SECRET);
    }

    /** For the internal credentials topic, which the otp-service opens with the transport key. */
    public SealedValue instanceSecretForTransport(Secret instanceSecret) {
        return transport.seal(instanceSecret, INSTANCE_SECRET);
    }

    /** A stock authenticator app's raw key (otpauth), for the otp-service, which keeps it as the OTP key. */
    public SealedValue otpKeyForTransport(Secret otpKey) {
        return transport.seal(otpKey, OTP_KEY);
    }
}
