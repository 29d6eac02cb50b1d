package org.countersign.push.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Expires push requests whose time is up, with PushExpired, even when nobody reads them. Readers,
 * answers and new requests of the same user expire them too, whichever comes first; each request is
 * expired once. It also runs right after start-up, for requests that fell due while the service was down.
 */
@ApplicationScoped
public class ExpirySweeper {

    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class);
    private static final int BATCH = 200;

    private final PushRequestService requests;

    public ExpirySweeper(PushRequestService requests) {
        this.requests = requests;
    }

    @Scheduled(every = "${countersign.push.requests.expiry-sweep-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> sweep() {
        return requests.expireDue(BATCH).chain(expired -> expired == BATCH ? sweep() : Uni.createFrom().voidItem())
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Expiry sweep failed (%s); the next one goes on", e.toString());
                    return null;
                });
    }
}
