package org.countersign.push.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.PushEnabledChanged;
import org.countersign.push.config.PushConfig;
import org.countersign.push.domain.BulkJob;
import org.countersign.push.domain.BulkJobFailure;
import org.countersign.push.domain.PushProblem;
import org.countersign.push.domain.PushUser;
import org.countersign.push.repository.BulkJobRepository;
import org.countersign.push.repository.DeviceRepository;
import org.countersign.push.repository.PushUserRepository;
import org.countersign.web.ProblemException;

/**
 * Users' push settings (seed 000): one user at a time, or many in a bulk job that any replica applies
 * chunk by chunk ({@link BulkJobWorker}). A setting that changes publishes PushEnabledChanged; one
 * that is already so publishes nothing.
 */
@ApplicationScoped
public class PushUserService {

    /** A user's settings as they stand (the defaults when no admin has set any). */
    public record Settings(String userId, boolean enabled, boolean requireBiometric, Instant updatedAt) {
    }

    /** A bulk job's progress and its failures, at most {@link #MAX_FAILURES_LISTED} of them. */
    public record JobReport(BulkJob job, List<BulkJobFailure> failures) {
    }

    public static final int MAX_FAILURES_LISTED = 1000;
    public static final String INVALID_USER_ID = "invalid-user-id";
    public static final String DUPLICATE_USER_ID = "duplicate-user-id";
    /** A bulk job of a few thousand users takes seconds: a refused call is worth trying again about then. */
    private static final String RETRY_BULK_AFTER_SECONDS = "10";
    private static final Pattern USER_ID = Pattern.compile(PushUser.ID_PATTERN);
    /** Serializes bulk calls of one domain (transaction-scoped advisory lock), so that the cap is never overshot. */
    private static final String LOCK_DOMAIN_JOBS = "SELECT pg_advisory_xact_lock(hashtextextended('push-bulk-jobs|' || $1, 0))";
    private static final String COUNT_RUNNING = "SELECT count(*) FROM bulk_jobs WHERE domain = $1 AND status = 'RUNNING'";
    private static final String INSERT_JOB = "INSERT INTO bulk_jobs (id, domain, enabled, require_biometric, total, done, failed,"
            + " status, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, 'RUNNING', $7)";
    private static final String INSERT_ITEMS = "INSERT INTO bulk_job_items (job_id, position, user_id, state, reason)"
            + " SELECT $1, t.position, t.user_id, t.state, t.reason"
            + " FROM unnest($2::int[], $3::varchar[], $4::varchar[], $5::varchar[]) AS t(position, user_id, state, reason)";

    private final PushUserRepository users;
    private final DeviceRepository devices;
    private final PushRequestService pushRequests;
    private final BulkJobRepository jobs;
    private final Outbox outbox;
    private final Pool pool;
    private final PushConfig config;
    private final Clock clock;

    public PushUserService(PushUserRepository users, DeviceRepository devices, PushRequestService pushRequests, BulkJobRepository jobs,
                           Outbox outbox, Pool pool, PushConfig config, Clock clock) {
        this.users = users;
        this.devices = devices;
        this.pushRequests = pushRequests;
        this.jobs = jobs;
        this.outbox = outbox;
        this.pool = pool;
        this.config = config;
        this.clock = clock;
    }

    public Uni<Settings> get(String domain, String userId) {
        return Panache.withSession(() -> users.findSettings(domain, userId)).map(user -> settings(userId, user));
    }

    /**
     * Sets one user's settings; {@code requireBiometric} null keeps what the user has. Switching push off
     * ends the user's pending requests (expired, with PushExpired), under the user's lock so that a request
     * being created at the same moment either sees the user disabled or is ended with the others.
     */
    public Uni<Settings> set(String domain, String userId, boolean enabled, Boolean requireBiometric) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<RequestView> ended = new ArrayList<>();
        return Panache.withTransaction(() -> (enabled ? Uni.createFrom().voidItem() : devices.lockUser(domain, userId))
                        .chain(() -> users.lock(domain, userId))
                        .chain(user -> apply(domain, userId, user, enabled, requireBiometric, PushEnabledChanged.ADMIN, null, now,
                                ended)))
                .invoke(() -> pushRequests.announce(ended))
                .map(user -> settings(userId, user));
    }

    /**
     * Takes the locks of the users a bulk job switches off, in one order (the locks of {@link #set}, which a
     * new push request takes too), before their rows are locked.
     */
    Uni<Void> lockUsers(String domain, List<String> userIds) {
        return Multi.createFrom().iterable(userIds.stream().sorted().toList())
                .onItem().transformToUniAndConcatenate(userId -> devices.lockUser(domain, userId))
                .collect().last().replaceWithVoid();
    }

    /**
     * Applies settings to one user inside the caller's transaction and publishes the change, if any. Push
     * switched off ends the user's pending requests; they are added to {@code ended}, for the caller to
     * {@link PushRequestService#announce announce} once it committed. The caller holds the user's lock then.
     *
     * @param user the user's locked row, or null when it has none yet
     */
    Uni<PushUser> apply(String domain, String userId, PushUser user, boolean enabled, Boolean requireBiometric, String reason,
                        String jobId, Instant now, List<RequestView> ended) {
        boolean fresh = user == null;
        PushUser target = fresh ? new PushUser() : user;
        boolean oldEnabled = fresh ? config.users().enabledByDefault() : user.enabled;
        boolean oldBiometric = !fresh && user.requireBiometric;
        if (fresh) {
            target.domain = domain;
            target.userId = userId;
        }
        target.enabled = enabled;
        target.requireBiometric = requireBiometric == null ? oldBiometric : requireBiometric;
        boolean changed = fresh || oldEnabled != target.enabled || oldBiometric != target.requireBiometric;
        if (!changed) {
            return Uni.createFrom().item(target);
        }
        target.updatedAt = now;
        Uni<?> write = fresh ? users.persist(target) : Uni.createFrom().voidItem();
        boolean published = oldEnabled != target.enabled || oldBiometric != target.requireBiometric;
        // A user who had push (explicitly or by default) and no longer has it: nothing pending may be approved now.
        boolean switchedOff = oldEnabled && !target.enabled;
        return write.chain(() -> !published ? Uni.createFrom().voidItem()
                        : outbox.add(new EventDraft(PushEnabledChanged.TYPE, EventKey.of(userId, domain), "user/" + userId,
                                new PushEnabledChanged(userId, domain, target.enabled, target.requireBiometric, reason, jobId, now))))
                .chain(() -> !switchedOff ? Uni.createFrom().voidItem()
                        : pushRequests.expireAllPendingOf(domain, userId, now).invoke(ended::addAll).replaceWithVoid())
                .replaceWith(target);
    }

    /** Tells the devices and waiters about requests that ended when push was switched off (after the commit). */
    void announce(List<RequestView> ended) {
        pushRequests.announce(ended);
    }

    private Settings settings(String userId, PushUser user) {
        return user == null ? new Settings(userId, config.users().enabledByDefault(), false, null)
                : new Settings(userId, user.enabled, user.requireBiometric, user.updatedAt);
    }

    /**
     * Accepts a bulk change: the user ids are stored with the job in one transaction (so the job
     * survives a restart), malformed and repeated ones recorded as failed at once, and the worker is
     * applied by {@link BulkJobWorker} within its poll interval; the answer does not wait for it. A domain
     * with {@code bulk.max-running-per-domain} running jobs is refused (429 too-many-bulk-jobs).
     */
    public Uni<BulkJob> bulk(String domain, List<String> userIds, boolean enabled, Boolean requireBiometric) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int n = userIds.size();
        Integer[] positions = new Integer[n];
        String[] ids = new String[n];
        String[] states = new String[n];
        String[] reasons = new String[n];
        Set<String> seen = new HashSet<>();
        int failed = 0;
        for (int i = 0; i < n; i++) {
            String userId = userIds.get(i);
            positions[i] = i;
            if (userId == null || !USER_ID.matcher(userId).matches()) {
                states[i] = "FAILED";
                reasons[i] = INVALID_USER_ID;
                failed++;
            } else if (!seen.add(userId)) {
                ids[i] = userId;
                states[i] = "FAILED";
                reasons[i] = DUPLICATE_USER_ID;
                failed++;
            } else {
                ids[i] = userId;
                states[i] = "PENDING";
            }
        }
        BulkJob job = new BulkJob();
        job.id = UUID.randomUUID().toString();
        job.domain = domain;
        job.enabled = enabled;
        job.requireBiometric = requireBiometric;
        job.total = n;
        job.failed = failed;
        job.status = BulkJob.RUNNING;
        job.createdAt = now;
        OffsetDateTime created = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        int cap = config.bulk().maxRunningPerDomain();
        return pool.withTransaction(connection -> connection.preparedQuery(LOCK_DOMAIN_JOBS).execute(Tuple.of(domain))
                        .chain(() -> connection.preparedQuery(COUNT_RUNNING).execute(Tuple.of(domain)))
                        .invoke(rows -> {
                            if (rows.iterator().next().getLong(0) >= cap) {
                                throw new ProblemException(PushProblem.TOO_MANY_BULK_JOBS, "The domain has " + cap
                                        + " running bulk jobs, the most allowed; try again when one is done",
                                        Map.of("Retry-After", RETRY_BULK_AFTER_SECONDS));
                            }
                        })
                        .chain(() -> connection.preparedQuery(INSERT_JOB).execute(Tuple.tuple().addString(job.id).addString(domain)
                                .addBoolean(enabled).addBoolean(requireBiometric).addInteger(n).addInteger(job.failed)
                                .addOffsetDateTime(created)))
                        .chain(() -> connection.preparedQuery(INSERT_ITEMS)
                                .execute(Tuple.of(job.id, positions, ids, states, reasons))))
                .replaceWith(job);
    }

    public Uni<JobReport> report(String domain, String jobId) {
        return Panache.withSession(() -> jobs.findIn(domain, jobId).chain(job -> {
            if (job == null) {
                throw new ProblemException(PushProblem.UNKNOWN_BULK_JOB, "No bulk job " + jobId);
            }
            return jobs.failures(jobId, MAX_FAILURES_LISTED).map(failures -> new JobReport(job, failures));
        }));
    }
}
