package org.countersign.registration.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.events.AtRestSealer;
import org.countersign.events.TransportSealer;
import org.countersign.events.payload.RegistrationPending;
import org.countersign.registration.domain.Registration;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * Seals the activation password for this service's table (bound to the registration's row) and,
 * separately, for the internal topic (bound to the registration, its tenant and its user).
 */
@ApplicationScoped
public class RegistrationSealer {

    static final String ACTIVATION_PASSWORD = "activation-password";

    private final AtRestSealer atRest;
    private final TransportSealer transport;

    public RegistrationSealer(AtRestSealer atRest, TransportSealer transport) {
        this.atRest = atRest;
        this.transport = transport;
    }

    public SealedValue sealAtRest(Secret activationPassword, Registration registration) {
        return atRest.seal(activationPassword, atRest(registration));
    }

    public Secret openAtRest(Registration registration) {
        return atRest.open(SealedValue.parse(registration.sealedActivationPassword), atRest(registration));
    }

    /** For the internal topic: sealed to the provisioning-service's public key, which alone opens it. */
    public SealedValue sealForTransport(Secret activationPassword, Registration registration) {
        return transport.seal(RegistrationPending.SEALED_FOR, activationPassword,
                RegistrationPending.activationPasswordBinding(registration.domain, registration.userId, registration.id));
    }

    /** Whether a value sealed for transport is sealed to the provisioning-service's key of today (keys rotate). */
    public boolean sealedToProvisioningsCurrentKey(SealedValue sealed) {
        return transport.sealedToCurrentKey(RegistrationPending.SEALED_FOR, sealed);
    }

    private static Binding atRest(Registration registration) {
        return Binding.of(ACTIVATION_PASSWORD, "registration", registration.id);
    }
}
