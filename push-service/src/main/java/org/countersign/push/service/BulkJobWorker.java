package org.countersign.push.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 *
 * <p>Fair across tenants: a poll takes the oldest running job of each domain and applies one chunk of
 * each in turn, so a domain's big or many jobs delay another domain's by a chunk at most. Each job's
 * failure is its own: a chunk that fails is counted against its job (after {@code bulk.max-attempts}
 * in a row the job is given up, status failed) and the other jobs go on.
 */
@ApplicationScoped
public class BulkJobWorker {

    private static final Logger LOG = Logger.getLogger(BulkJobWorker.class);
    /** Domains served per poll. */
    private static final int DOMAINS_PER_POLL = 10;
    /** Chunks of each job per poll: then the poll ends, and the next one sees jobs of domains that came meanwhile. */
    private static final int ROUNDS_PER_POLL = 10;

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
        return Panache.withSession(() -> jobs.listOldestRunningIdPerDomain(DOMAINS_PER_POLL)).chain(ids -> rounds(ids, ROUNDS_PER_POLL))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Bulk jobs paused (%s); the next poll goes on", e.toString());
                    return null;
                });
    }

    /** One chunk of each job in turn, round after round, until none has more or the poll's rounds are used. */
    private Uni<Void> rounds(List<String> ids, int roundsLeft) {
        if (ids.isEmpty() || roundsLeft == 0) {
            return Uni.createFrom().voidItem();
        }
        LOG.debugf("Bulk jobs: a round over %s", ids);
        List<String> more = new ArrayList<>();
        Uni<Void> round = Uni.createFrom().voidItem();
        for (String id : ids) {
            round = round.chain(() -> isolatedChunk(id).invoke(hasMore -> {
                if (hasMore) {
                    more.add(id);
                }
            }).replaceWithVoid());
        }
        return round.chain(() -> rounds(more, roundsLeft - 1));
    }

    /** One chunk; its failure is counted against its job and ends the job's turn, never the others'. */
    private Uni<Boolean> isolatedChunk(String jobId) {
        return chunk(jobId).onFailure().recoverWithUni(failure -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            return Panache.withTransaction(() -> jobs.recordFailedAttempt(jobId, config.bulk().maxAttempts(), BulkJob.APPLY_FAILED,
                            now))
                    .invoke(status -> {
                        if (BulkJob.FAILED.equals(status)) {
                            LOG.warnf("Bulk job %s given up after %d failed attempts in a row, the last: %s", jobId,
                                    config.bulk().maxAttempts(), failure.toString());
                        } else {
                            LOG.warnf("Bulk job %s: a chunk failed (%s); the job is tried again at the next poll", jobId,
                                    failure.toString());
                        }
                    })
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("Bulk job %s: a chunk failed (%s) and the attempt was not counted (%s)", jobId, failure.toString(),
                                e.toString());
                        return null;
                    })
                    .replaceWith(false);
        });
    }

    /** One chunk in one transaction; true when there may be more. */
    private Uni<Boolean> chunk(String jobId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int size = config.bulk().chunkSize();
        List<RequestView> ended = new ArrayList<>();
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
                // Switching push off ends pending requests: under each user's lock, as a single change takes it.
                Uni<Void> locks = job.enabled ? Uni.createFrom().voidItem() : settings.lockUsers(job.domain, userIds);
                return locks.chain(() -> users.lockAll(job.domain, userIds)).chain(existing -> {
                    Map<String, PushUser> byId = existing.stream().collect(Collectors.toMap(u -> u.userId, Function.identity()));
                    // One user after the other, in a Multi rather than 500 chained Unis: an apply that completes at once
                    // (a user already so, a new row only persisted) would otherwise nest each next one a level deeper.
                    return Multi.createFrom().iterable(userIds)
                            .onItem().transformToUniAndConcatenate(userId -> settings.apply(job.domain, userId, byId.get(userId),
                                    job.enabled, job.requireBiometric, PushEnabledChanged.BULK, job.id, now, ended))
                            .collect().last().replaceWithVoid();
                }).chain(() -> jobs.markItems(jobId, items.stream().map(BulkJobRepository.Item::position).toList(), "DONE", null))
                        .map(marked -> {
                            LOG.debugf("Bulk job %s: %d users applied", jobId, items.size());
                            job.done += items.size();
                            job.attempts = 0;
                            return true;
                        });
            });
        })).invoke(() -> settings.announce(ended));
    }
}
