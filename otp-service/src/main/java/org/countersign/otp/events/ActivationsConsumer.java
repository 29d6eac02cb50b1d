package org.countersign.otp.events;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.countersign.events.EventHandler;
import org.countersign.events.EventType;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.otp.service.RevocationService;

/** Revoked authenticators, from the public activations topic: their credentials never verify again. */
@ApplicationScoped
public class ActivationsConsumer implements EventHandler {

    private final RevocationService revocations;

    public ActivationsConsumer(RevocationService revocations) {
        this.revocations = revocations;
    }

    @Override
    public String name() {
        return "activations";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(AuthenticatorRevoked.TYPE);
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event) {
        return revocations.revoked(event.data(AuthenticatorRevoked.class));
    }
}
