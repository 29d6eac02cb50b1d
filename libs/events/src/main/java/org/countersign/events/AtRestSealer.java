package org.countersign.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.secrets.Binding;
import org.countersign.secrets.Keyring;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * Seals secrets a service keeps in its own tables, under its own at-rest keys
 * ({@code countersign.events.sealing.at-rest-keys}; AES-256-GCM with key ids, the current one seals and
 * every listed one opens), so that nothing is kept in clear. The binding (the purpose, within
 * {@code at-rest/}, and the owner: the row the value belongs to) is bound into the seal, so that a value
 * copied into another row does not open. There is no fallback: a service that keeps secrets has keys of
 * its own, which no other service holds.
 */
@ApplicationScoped
public class AtRestSealer {

    private static final String AT_REST = "at-rest/";

    private final EventsConfig config;
    private volatile Keyring keyring;

    public AtRestSealer(EventsConfig config) {
        this.config = config;
    }

    public SealedValue seal(Secret secret, Binding binding) {
        return keyring().seal(secret, binding.within(AT_REST));
    }

    /** @throws org.countersign.secrets.Aead.AeadException when the value does not open under this binding */
    public Secret open(SealedValue sealed, Binding binding) {
        return keyring().open(sealed, binding.within(AT_REST));
    }

    private Keyring keyring() {
        Keyring ring = keyring;
        if (ring == null) {
            String keys = config.sealing().atRestKeys().orElseThrow(() -> new IllegalStateException(
                    "No at-rest key: set countersign.events.sealing.at-rest-keys (COUNTERSIGN_EVENTS_SEALING_AT_REST_KEYS) to"
                            + " kid:base64 of 32 random bytes, this service's own"));
            ring = Keyring.parse(keys, config.sealing().atRestCurrentKeyId().orElseGet(() -> keys.split(":", 2)[0].trim()));
            keyring = ring;
        }
        return ring;
    }
}
