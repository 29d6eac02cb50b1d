package org.countersign.push.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.countersign.events.payload.PushEnabledChanged;
import org.countersign.push.config.PushConfig;
import org.countersign.push.domain.BulkJob;
import org.countersign.push.domain.PushUser;
import org.countersign.push.repository.BulkJobRepository;
import org.countersign.push.repository.PushUserRepository;
import org.jboss.logging.Logger;

/**
 * Applies bulk jobs, one chunk per transaction, on whichever replica gets to them: a chunk takes its
 * job's row lock (a job another replica is working on is skipped), applies the settings of up to
 * {@code chunk-size} users with their events, and marks them done. A replica that stops in the middle
 * leaves the rest pending for the next poll, here or on another replica: a job survives restarts.
 */
@ApplicationScoped
public class BulkJobWorker {

    private static final Logger LOG = Logger.getLogger(BulkJobWorker.class);

    private final BulkJobRepository jobs;
    private final PushUserRepository users;
    private final PushUserService settings;
    private final PushConfig config;
    private final Clock clock;

    public BulkJobWorker(BulkJobRepository jobs, PushUserRepository users, PushUserService settings, PushConfig config, Clock clock) {
        this.jobs = jobs;
        this.users = users;
        this.settings = settings;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${countersign.push.bulk.poll-interval:1s}", delayed = "${countersign.push.bulk.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> poll() {
        return Panache.withSession(() -> jobs.listRunningIds(10)).chain(this::runAll)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Bulk jobs paused (%s); the next poll goes on", e.toString());
                    return null;
                });
    }

    private Uni<Void> runAll(List<String> ids) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String id : ids) {
            chain = chain.chain(() -> run(id));
        }
        return chain;
    }

    /** Applies a job chunk after chunk until it is done or another replica holds it. */
    Uni<Void> run(String jobId) {
        return chunk(jobId).chain(more -> more ? run(jobId) : Uni.createFrom().voidItem());
    }

    /** One chunk in one transaction; true when there may be more. */
    private Uni<Boolean> chunk(String jobId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int size = config.bulk().chunkSize();
        return Panache.withTransaction(() -> jobs.lockRunning(jobId).chain(job -> {
            if (job == null) {
                return Uni.createFrom().item(false);
            }
            return jobs.nextPending(jobId, size).chain(items -> {
                if (items.isEmpty()) {
                    job.status = BulkJob.DONE;
                    job.finishedAt = now;
                    LOG.infof("Bulk job %s done: %d users, %d failed", job.id, job.total, job.failed);
                    return Uni.createFrom().item(false);
                }
                List<String> userIds = items.stream().map(BulkJobRepository.Item::userId).toList();
                return users.lockAll(job.domain, userIds).chain(existing -> {
                    Map<String, PushUser> byId = existing.stream().collect(Collectors.toMap(u -> u.userId, Function.identity()));
                    Uni<Void> apply = Uni.createFrom().voidItem();
                    for (String userId : userIds) {
                        apply = apply.chain(() -> settings.apply(job.domain, userId, byId.get(userId), job.enabled,
                                job.requireBiometric, PushEnabledChanged.BULK, job.id, now).replaceWithVoid());
                    }
                    return apply;
                }).chain(() -> jobs.markItems(jobId, items.stream().map(BulkJobRepository.Item::position).toList(), "DONE", null))
                        .map(marked -> {
                            job.done += items.size();
                            return true;
                        });
            });
        }));
    }
}
