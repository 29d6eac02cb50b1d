package org.countersign.push.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.countersign.events.EventType;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.SqlEventHandler;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.events.payload.DeviceMigrated;
import org.countersign.push.service.DeviceLifecycle;

/**
 * Devices from the public activations topic: online activations and migrations make them, revocations end them.
 * One statement an event on the reactive SQL client (no Hibernate session: it was most of this service's work
 * in an online activation wave).
 */
@ApplicationScoped
public class ActivationsConsumer implements SqlEventHandler {

    private final DeviceLifecycle lifecycle;

    public ActivationsConsumer(DeviceLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public String name() {
        return "activations";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(AuthenticatorActivated.TYPE, DeviceMigrated.TYPE, AuthenticatorRevoked.TYPE);
    }

    /** Offline and otpauth activations, most of the topic in a wave, make no push device: not even a transaction. */
    @Override
    public boolean concerns(ReceivedEvent event) {
        return !event.type().equals(AuthenticatorActivated.TYPE) || DeviceLifecycle.makesADevice(event.data(AuthenticatorActivated.class));
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event, SqlConnection tx) {
        if (event.type().equals(AuthenticatorActivated.TYPE)) {
            return lifecycle.activated(tx, event.data(AuthenticatorActivated.class));
        }
        if (event.type().equals(DeviceMigrated.TYPE)) {
            return lifecycle.migrated(tx, event.data(DeviceMigrated.class));
        }
        return lifecycle.revoked(tx, event.data(AuthenticatorRevoked.class));
    }
}
