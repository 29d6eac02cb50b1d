package org.countersign.push.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.countersign.push.domain.BulkJob;
import org.countersign.push.domain.BulkJobFailure;

@ApplicationScoped
@WithSession
public class BulkJobRepository implements PanacheRepositoryBase<BulkJob, String> {

    /** One item of a job, as the worker reads it. */
    public record Item(int position, String userId) {
    }

    public Uni<BulkJob> findIn(String domain, String id) {
        return find("domain = ?1 and id = ?2", domain, id).firstResult();
    }

    /**
     * The oldest running job of each domain, oldest first: what a worker looks for. One per domain, so that
     * one tenant's many jobs never fill the batch and keep another tenant's job waiting behind them.
     */
    @SuppressWarnings("unchecked")
    public Uni<List<String>> listOldestRunningIdPerDomain(int limit) {
        return getSession().chain(session -> session.createNativeQuery("SELECT id FROM (SELECT DISTINCT ON (domain) id, created_at"
                        + " FROM bulk_jobs WHERE status = 'RUNNING' ORDER BY domain, created_at, id) oldest"
                        + " ORDER BY created_at, id LIMIT ?1", String.class)
                .setParameter(1, limit).getResultList());
    }

    /**
     * Counts a failed attempt at the job's chunk (in its own transaction: the chunk's rolled back), and gives
     * the job up when it is the {@code maxAttempts}-th in a row. Answers the job's status afterwards, or null
     * when it is no longer running.
     */
    public Uni<String> recordFailedAttempt(String id, int maxAttempts, String reason, Instant now) {
        return getSession().chain(session -> session.createNativeQuery("UPDATE bulk_jobs SET attempts = attempts + 1,"
                        + " status = CASE WHEN attempts + 1 >= ?2 THEN 'FAILED' ELSE status END,"
                        + " failure_reason = CASE WHEN attempts + 1 >= ?2 THEN ?3 ELSE failure_reason END,"
                        + " finished_at = CASE WHEN attempts + 1 >= ?2 THEN ?4 ELSE finished_at END"
                        + " WHERE id = ?1 AND status = 'RUNNING'")
                .setParameter(1, id).setParameter(2, maxAttempts).setParameter(3, reason).setParameter(4, now).executeUpdate()
                .chain(updated -> updated == 0 ? Uni.createFrom().nullItem()
                        : session.createNativeQuery("SELECT status FROM bulk_jobs WHERE id = ?1", String.class).setParameter(1, id)
                                .getSingleResult()));
    }

    /**
     * The job if it is running and no other transaction holds it, locked: one chunk of a job is applied
     * at a time, whichever replica applies it, and a busy job is skipped rather than waited for.
     */
    public Uni<BulkJob> lockRunning(String id) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT * FROM bulk_jobs WHERE id = ?1 AND status = 'RUNNING' FOR UPDATE SKIP LOCKED", BulkJob.class)
                .setParameter(1, id).getResultList()).map(list -> list.isEmpty() ? null : list.get(0));
    }

    @SuppressWarnings("unchecked")
    public Uni<List<Item>> nextPending(String jobId, int limit) {
        return getSession().chain(session -> session.createNativeQuery("SELECT position, user_id FROM bulk_job_items"
                                + " WHERE job_id = ?1 AND state = 'PENDING' ORDER BY position LIMIT ?2", Object[].class)
                        .setParameter(1, jobId).setParameter(2, limit).getResultList())
                .map(rows -> rows.stream().map(row -> new Item(((Number) row[0]).intValue(), (String) row[1])).toList());
    }

    public Uni<Integer> markItems(String jobId, List<Integer> positions, String state, String reason) {
        if (positions.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return getSession().chain(session -> session.createNativeQuery("UPDATE bulk_job_items SET state = ?1, reason = ?2"
                        + " WHERE job_id = ?3 AND position IN (?4)")
                .setParameter(1, state).setParameter(2, reason).setParameter(3, jobId).setParameter(4, positions).executeUpdate());
    }

    @SuppressWarnings("unchecked")
    public Uni<List<BulkJobFailure>> failures(String jobId, int limit) {
        return getSession().chain(session -> session.createNativeQuery("SELECT position, user_id, reason FROM bulk_job_items"
                                + " WHERE job_id = ?1 AND state = 'FAILED' ORDER BY position LIMIT ?2", Object[].class)
                        .setParameter(1, jobId).setParameter(2, limit).getResultList())
                .map(rows -> rows.stream().map(row -> new BulkJobFailure(((Number) row[0]).intValue(), (String) row[1], (String) row[2]))
                        .toList());
    }
}
