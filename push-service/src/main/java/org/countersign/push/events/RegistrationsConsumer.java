package org.countersign.push.events;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.countersign.events.EventHandler;
import org.countersign.events.EventType;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.push.service.DeviceLifecycle;

/** Deactivated users, from the public registrations topic: their devices are revoked and push is switched off. */
@ApplicationScoped
public class RegistrationsConsumer implements EventHandler {

    private final DeviceLifecycle lifecycle;

    public RegistrationsConsumer(DeviceLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public String name() {
        return "registrations";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(UserDeactivated.TYPE);
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event) {
        return lifecycle.deactivated(event.data(UserDeactivated.class));
    }
}
