package org.countersign.registration.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.events.TransportSealer;
import org.countersign.protocol.Keyring;
import org.countersign.protocol.SealedValue;
import org.countersign.protocol.Secret;
import org.countersign.registration.config.RegistrationConfig;

/**
 * Seals activation passwords at rest under the service's own keys; without them configured, under
 * the transport keys (both are AES-256-GCM with key ids, and either way nothing is kept in clear).
 */
@ApplicationScoped
public class RegistrationSealer {

    static final String ACTIVATION_PASSWORD = "activation-password";

    private final RegistrationConfig config;
    private final TransportSealer transport;
    private volatile Keyring atRest;

    public RegistrationSealer(RegistrationConfig config, TransportSealer transport) {
        this.config = config;
        this.transport = transport;
    }

    public SealedValue sealAtRest(Secret activationPassword) {
        Keyring ring = atRest();
        return ring == null ? transport.seal(activationPassword, ACTIVATION_PASSWORD + "-at-rest")
                : ring.seal(activationPassword, ACTIVATION_PASSWORD);
    }

    /** For the internal topic, which the provisioning-service opens with the transport key. */
    public SealedValue sealForTransport(Secret activationPassword) {
        return transport.seal(activationPassword, ACTIVATION_PASSWORD);
    }

    private Keyring atRest() {
        if (atRest == null && config.sealing().keys().isPresent()) {
            String keys = config.sealing().keys().get();
            atRest = Keyring.parse(keys, config.sealing().currentKeyId().orElseGet(() -> keys.split(":", 2)[0].trim()));
        }
        return atRest;
    }
}
