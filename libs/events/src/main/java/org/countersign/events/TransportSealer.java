package org.countersign.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.countersign.secrets.Binding;
import org.countersign.secrets.RecipientKey;
import org.countersign.secrets.RecipientKeyring;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * Secrets on internal topics, sealed for the one service that reads them: with HPKE (RFC 9180) to that
 * service's public key ({@code countersign.events.sealing.recipients.<service>}), opened with this
 * service's own private keys ({@code countersign.events.sealing.private-keys}). A producer cannot open
 * what it sealed, and no service opens what was sealed for another. The binding (the purpose, for
 * example {@code activation-password}, and the owner the event names) is bound into the seal, so a value
 * cannot be opened as something else, nor copied into another event.
 */
@ApplicationScoped
public class TransportSealer {

    private final EventsConfig config;
    private final Map<String, RecipientKey> recipients = new ConcurrentHashMap<>();
    private volatile RecipientKeyring own;

    public TransportSealer(EventsConfig config) {
        this.config = config;
    }

    /** Seals for the service {@code recipient} (a payload's {@code SEALED_FOR}, e.g. {@code otp}), to its current public key. */
    public SealedValue seal(String recipient, Secret secret, Binding binding) {
        return recipients.computeIfAbsent(recipient, this::recipientKey).seal(secret, binding);
    }

    /** Whether {@code sealed} is sealed to the current public key of the service {@code recipient}. */
    public boolean sealedToCurrentKey(String recipient, SealedValue sealed) {
        return recipients.computeIfAbsent(recipient, this::recipientKey).keyId().equals(sealed.keyId());
    }

    /** Opens what another service sealed for this one. */
    public Secret open(SealedValue sealed, Binding binding) {
        RecipientKeyring ring = own;
        if (ring == null) {
            ring = RecipientKeyring.parse(config.sealing().privateKeys().orElseThrow(() -> new IllegalStateException(
                    "No private key to open sealed values with: set countersign.events.sealing.private-keys"
                            + " (COUNTERSIGN_EVENTS_SEALING_PRIVATE_KEYS) to kid:base64 of this service's X25519 private keys")));
            own = ring;
        }
        return ring.open(sealed, binding);
    }

    private RecipientKey recipientKey(String recipient) {
        String key = config.sealing().recipients().get(recipient);
        if (key == null) {
            throw new IllegalStateException("No public key of the " + recipient + " service to seal for: set"
                    + " countersign.events.sealing.recipients." + recipient + " (COUNTERSIGN_EVENTS_SEALING_RECIPIENTS_"
                    + recipient.toUpperCase(Locale.ROOT).replace('-', '_') + ") to kid:base64 of its X25519 public key");
        }
        return RecipientKey.parse(key);
    }
}
