package org.countersign.push.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.countersign.push.domain.PushRequest;
import org.countersign.push.domain.RequestStatus;

@ApplicationScoped
@WithSession
public class PushRequestRepository implements PanacheRepositoryBase<PushRequest, String> {

    /**
     * A user's pending requests that are still in time (an overdue one is expired, whether or not the sweep
     * has recorded it), newest first, at most {@code limit}.
     */
    public Uni<List<PushRequest>> listOpenOf(String domain, String userId, Instant now, int limit) {
        return find("domain = ?1 and userId = ?2 and status = ?3 and expiresAt > ?4 order by createdAt desc, id desc", domain,
                userId, RequestStatus.PENDING, now).page(0, limit).list();
    }

    /** Records an expiry if the request is still pending and due; 1 when this call expired it. */
    public Uni<Integer> expire(String id, Instant now) {
        return update("status = ?1, message = null, fields = null where id = ?2 and status = ?3 and expiresAt <= ?4",
                RequestStatus.EXPIRED, id, RequestStatus.PENDING, now);
    }

    /** The user's pending requests, in time or not, locked: those that end when push is switched off for the user. */
    public Uni<List<PushRequest>> lockPendingOf(String domain, String userId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT * FROM push_requests WHERE domain = ?1 AND user_id = ?2 AND status = 'PENDING'"
                                + " ORDER BY created_at, id FOR UPDATE", PushRequest.class)
                .setParameter(1, domain).setParameter(2, userId).getResultList());
    }

    /**
     * Records the expiry, now, of a request still pending whatever its time (push was switched off for its user):
     * its expiresAt becomes now, so that it reads as expired from then on; 1 when this call expired it.
     */
    public Uni<Integer> expireNow(String id, Instant now) {
        return update("status = ?1, message = null, fields = null, expiresAt = ?2 where id = ?3 and status = ?4",
                RequestStatus.EXPIRED, now, id, RequestStatus.PENDING);
    }

    /** Due requests, locked; those another replica is expiring right now are skipped. */
    public Uni<List<PushRequest>> lockDue(Instant now, int limit) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT * FROM push_requests WHERE status = 'PENDING' AND expires_at <= ?1"
                                + " ORDER BY expires_at LIMIT ?2 FOR UPDATE SKIP LOCKED", PushRequest.class)
                .setParameter(1, now).setParameter(2, limit).getResultList());
    }
}
