package org.countersign.otp.events;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.countersign.events.EventHandler;
import org.countersign.events.EventType;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.payload.LicenceAssigned;
import org.countersign.events.payload.LicenceReleased;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.otp.service.RevocationService;

/**
 * Keeps track of who holds each licence, so that an imported token verifies for its user only, and
 * applies user deactivations. Both come on the registrations topic, keyed by user; one consumer keeps
 * them in order, so a deactivation is never applied before a licence assignment that preceded it.
 */
@ApplicationScoped
public class LicencesConsumer implements EventHandler {

    private final RevocationService revocations;

    public LicencesConsumer(RevocationService revocations) {
        this.revocations = revocations;
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
            LicenceAssigned assigned = event.data(LicenceAssigned.class);
            return Panache.getSession().chain(session -> session.createNativeQuery(
                            "INSERT INTO licence_owners (domain, serial_number, user_id, assigned_at) VALUES (?1, ?2, ?3, ?4)"
                                    + " ON CONFLICT (domain, serial_number) DO UPDATE SET user_id = ?3, assigned_at = ?4")
                    .setParameter(1, assigned.domain()).setParameter(2, assigned.serialNumber())
                    .setParameter(3, assigned.userId()).setParameter(4, assigned.assignedAt()).executeUpdate()).replaceWithVoid();
        }
        LicenceReleased released = event.data(LicenceReleased.class);
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "DELETE FROM licence_owners WHERE domain = ?1 AND serial_number = ?2 AND user_id = ?3")
                .setParameter(1, released.domain()).setParameter(2, released.serialNumber())
                .setParameter(3, released.userId()).executeUpdate()).replaceWithVoid();
    }
}
