package org.countersign.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.secrets.Binding;
import org.countersign.secrets.Keyring;
import org.countersign.secrets.Secret;
import org.countersign.secrets.SealedValue;

/**
 * Seals secrets that travel on internal topics under the configured transport key, and opens what
 * other services sealed. The binding (the purpose, for example {@code activation-password}, and the
 * owner the event names) is bound into the seal, so a value cannot be opened as something else, nor
 * copied into another event.
 */
@ApplicationScoped
public class TransportSealer {

    private final EventsConfig config;
    private volatile Keyring keyring;

    public TransportSealer(EventsConfig config) {
        this.config = config;
    }

    public SealedValue seal(Secret secret, Binding binding) {
        return keyring().seal(secret, binding);
    }

    public Secret open(SealedValue sealed, Binding binding) {
        return keyring().open(sealed, binding);
    }

    private Keyring keyring() {
        Keyring ring = keyring;
        if (ring == null) {
            String keys = config.sealing().keys().orElseThrow(() -> new IllegalStateException(
                    "No transport key: set countersign.events.sealing.keys (COUNTERSIGN_EVENTS_SEALING_KEYS) to kid:base64"
                            + " of 32 random bytes, and countersign.events.sealing.current-key-id"));
            String current = config.sealing().currentKeyId().orElseGet(() -> keys.split(":", 2)[0].trim());
            ring = Keyring.parse(keys, current);
            keyring = ring;
        }
        return ring;
    }
}
