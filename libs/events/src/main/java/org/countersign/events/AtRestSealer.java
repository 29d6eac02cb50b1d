package org.countersign.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.secrets.Binding;
import org.countersign.secrets.Keyring;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * Seals secrets a service keeps in its own tables, under its at-rest keys
 * ({@code countersign.events.sealing.at-rest-keys}), or under the transport keys when it has none:
 * either way AES-256-GCM with key ids, and nothing in clear. The binding (the purpose, within
 * {@code at-rest/}, and the owner: the row's id) is bound into the seal, the same way under either ring,
 * so that a value copied into another row does not open, and a deployment that starts on its transport
 * keys and adds at-rest keys later still opens what it sealed before (as long as it keeps that transport key).
 */
@ApplicationScoped
public class AtRestSealer {

    private static final String AT_REST = "at-rest/";

    private final EventsConfig config;
    private final TransportSealer transport;
    private volatile Keyring keyring;

    public AtRestSealer(EventsConfig config, TransportSealer transport) {
        this.config = config;
        this.transport = transport;
    }

    public SealedValue seal(Secret secret, Binding binding) {
        Keyring ring = keyring();
        return ring == null ? transport.seal(secret, binding.within(AT_REST)) : ring.seal(secret, binding.within(AT_REST));
    }

    /** @throws org.countersign.secrets.Aead.AeadException when the value does not open under this binding */
    public Secret open(SealedValue sealed, Binding binding) {
        Keyring ring = keyring();
        return ring != null && ring.knows(sealed.keyId()) ? ring.open(sealed, binding.within(AT_REST))
                : transport.open(sealed, binding.within(AT_REST));
    }

    private Keyring keyring() {
        if (keyring == null && config.sealing().atRestKeys().isPresent()) {
            String keys = config.sealing().atRestKeys().get();
            keyring = Keyring.parse(keys, config.sealing().atRestCurrentKeyId().orElseGet(() -> keys.split(":", 2)[0].trim()));
        }
        return keyring;
    }
}
