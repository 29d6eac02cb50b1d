package org.countersign.registration.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Expires registrations whose time is up. It also runs right after start-up, so registrations that
 * fell due while the service was down expire then, with their events.
 */
@ApplicationScoped
public class ExpirySweeper {

    private static final int BATCH = 200;

    private final RegistrationService registrations;

    public ExpirySweeper(RegistrationService registrations) {
        this.registrations = registrations;
    }

    @Scheduled(every = "${countersign.registration.expiry-sweep-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> sweep() {
        return registrations.expireDue(BATCH)
                .chain(expired -> expired == BATCH ? sweep() : Uni.createFrom().voidItem());
    }
}
