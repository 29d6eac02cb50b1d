package org.countersign.otp.events;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.countersign.events.EventHandler;
import org.countersign.events.EventType;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.payload.LicenceAssigned;
import org.countersign.events.payload.LicenceReleased;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.otp.service.LicenceOwnership;
import org.countersign.otp.service.RevocationService;

/**
 * Keeps track of who holds each licence, so that an imported token verifies for its user only, and
 * applies user deactivations. Licence changes are keyed by licence and deactivations by user, so the
 * two may arrive in either order: an assignment never goes back to an older owner, and a token
 * assigned to a user who was deactivated after the assignment arrives disabled, as it would have been
 * had the deactivation come second.
 */
@ApplicationScoped
public class LicencesConsumer implements EventHandler {

    private final RevocationService revocations;
    private final LicenceOwnership ownership;

    public LicencesConsumer(RevocationService revocations, LicenceOwnership ownership) {
        this.revocations = revocations;
        this.ownership = ownership;
    }

    @Override
    public String name() {
        return "licences";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(LicenceAssigned.TYPE, LicenceReleased.TYPE, UserDeactivated.TYPE);
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event) {
        if (event.type().equals(UserDeactivated.TYPE)) {
            return revocations.deactivated(event.data(UserDeactivated.class));
        }
        if (event.type().equals(LicenceAssigned.TYPE)) {
            return ownership.assigned(event.data(LicenceAssigned.class));
        }
        return ownership.released(event.data(LicenceReleased.class));
    }
}
