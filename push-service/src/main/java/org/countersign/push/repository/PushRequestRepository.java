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

    public Uni<PushRequest> findIn(String domain, String id) {
        return find("domain = ?1 and id = ?2", domain, id).firstResult();
    }

    /**
     * Serialises the creation of a user's requests (the open-request limit) without needing a row for
     * the user: a transaction-scoped advisory lock on the user's key.
     */
    public Uni<Void> lockUser(String domain, String userId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 7)) ) AS locked", Long.class)
                .setParameter(1, "push-user|" + domain + "|" + userId).getSingleResult()).replaceWithVoid();
    }

    /** How many requests a user was sent since {@code since}, and when the oldest of them was created. */
    public record Recent(long count, Instant oldest) {
    }

    /** The user's requests created after {@code since} (in the caller's transaction, under {@link #lockUser}). */
    public Uni<Recent> recentOf(String domain, String userId, Instant since) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT count(*), (extract(epoch FROM min(created_at)) * 1000)::bigint FROM push_requests"
                                + " WHERE domain = ?1 AND user_id = ?2 AND created_at > ?3",
                        Object[].class)
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, since).getSingleResult())
                .map(row -> new Recent(((Number) row[0]).longValue(),
                        row[1] == null ? null : Instant.ofEpochMilli(((Number) row[1]).longValue())));
    }

    /** A user's pending requests, due ones included, oldest first. */
    public Uni<List<PushRequest>> listPendingOf(String domain, String userId) {
        return list("domain = ?1 and userId = ?2 and status = ?3 order by createdAt", domain, userId, RequestStatus.PENDING);
    }

    /**
     * A user's pending requests that are still in time (an overdue one is expired, whether or not the sweep
     * has recorded it), newest first, at most {@code limit}.
     */
    public Uni<List<PushRequest>> listOpenOf(String domain, String userId, Instant now, int limit) {
        return find("domain = ?1 and userId = ?2 and status = ?3 and expiresAt > ?4 order by createdAt desc, id desc", domain,
                userId, RequestStatus.PENDING, now).page(0, limit).list();
    }

    /**
     * The pending, unexpired requests of a user that a device known since {@code knownSince} was sent:
     * created after it was known, and not requiring biometrics it lacks.
     */
    public Uni<List<PushRequest>> listOpenFor(String domain, String userId, Instant knownSince, boolean biometric, Instant now) {
        return list("domain = ?1 and userId = ?2 and status = ?3 and expiresAt > ?4 and createdAt >= ?5"
                        + " and (requireBiometric = false or ?6 = true) order by createdAt", domain, userId, RequestStatus.PENDING,
                now, knownSince, biometric);
    }

    /** Records an answer if the request is still pending and in time; 1 when this answer decided it, 0 otherwise. */
    public Uni<Integer> decide(String id, RequestStatus status, String denyReason, String instanceId, Instant now) {
        return update("status = ?1, denyReason = ?2, instanceId = ?3, decidedAt = ?4, message = null, fields = null"
                + " where id = ?5 and status = ?6 and expiresAt > ?4", status, denyReason, instanceId, now, id, RequestStatus.PENDING);
    }

    /** Records an expiry if the request is still pending and due; 1 when this call expired it. */
    public Uni<Integer> expire(String id, Instant now) {
        return update("status = ?1, message = null, fields = null where id = ?2 and status = ?3 and expiresAt <= ?4",
                RequestStatus.EXPIRED, id, RequestStatus.PENDING, now);
    }

    /** Due requests, locked; those another replica is expiring right now are skipped. */
    public Uni<List<PushRequest>> lockDue(Instant now, int limit) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT * FROM push_requests WHERE status = 'PENDING' AND expires_at <= ?1"
                                + " ORDER BY expires_at LIMIT ?2 FOR UPDATE SKIP LOCKED", PushRequest.class)
                .setParameter(1, now).setParameter(2, limit).getResultList());
    }
}
