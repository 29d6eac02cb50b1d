package org.countersign.push.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** Running jobs, oldest first: what a worker looks for. */
    public Uni<List<String>> listRunningIds(int limit) {
        return find("status = ?1 order by createdAt", BulkJob.RUNNING).page(0, limit).list()
                .map(jobs -> jobs.stream().map(job -> job.id).toList());
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
