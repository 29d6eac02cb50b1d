package org.countersign.registration.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.events.AtRestSealer;
import org.countersign.events.TransportSealer;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/** Seals the activation password for this service's table and, separately, for the internal topic. */
@ApplicationScoped
public class RegistrationSealer {

    static final String ACTIVATION_PASSWORD = "activation-password";

    private final AtRestSealer atRest;
    private final TransportSealer transport;

    public RegistrationSealer(AtRestSealer atRest, TransportSealer transport) {
        this.atRest = atRest;
        this.transport = transport;
    }

    public SealedValue sealAtRest(Secret activationPassword) {
        return atRest.seal(activationPassword, ACTIVATION_PASSWORD);
    }

    public Secret openAtRest(SealedValue sealed) {
        return atRest.open(sealed, ACTIVATION_PASSWORD);
    }

    /** For the internal topic, which the provisioning-service opens with the transport key. */
    public SealedValue sealForTransport(Secret activationPassword) {
        return transport.seal(activationPassword, ACTIVATION_PASSWORD);
    }
}
