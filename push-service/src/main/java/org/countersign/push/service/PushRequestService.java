package org.countersign.push.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.PushExpired;
import org.countersign.events.payload.PushRequested;
import org.countersign.protocol.InvalidTransactionDataException;
import org.countersign.protocol.PushResponseSignature;
import org.countersign.protocol.TransactionData;
import org.countersign.protocol.TransactionField;
import org.countersign.push.config.PushConfig;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.NumberOptions;
import org.countersign.push.domain.PushProblem;
import org.countersign.push.domain.PushRequest;
import org.countersign.push.domain.RequestStatus;
import org.countersign.push.repository.DeviceQueries.WakeTarget;
import org.countersign.push.repository.PushRequestQueries;
import org.countersign.push.repository.PushRequestRepository;
import org.countersign.web.ProblemException;
import org.jboss.logging.Logger;

/**
 * Push requests, for apps: create one for a user (number matching, one open request per user), read
 * its status at once, by long-poll or as a stream, and expire it when its time is up (once, with
 * PushExpired, whichever replica or reader notices first).
 */
@ApplicationScoped
public class PushRequestService {

    /** A new request: what the app is told. */
    public record Created(String requestId, Instant expiresAt, Integer displayNumber) {
    }

    /** A pending request as listed for the user: its status, and what it asks (kept only while pending). */
    public record Pending(RequestView view, String message, String fieldsJson) {
    }

    /** SSE sends the status at least this often, so that proxies keep the stream and a lost broadcast is caught up. */
    static final Duration STREAM_REFRESH = Duration.ofSeconds(25);
    private static final Logger LOG = Logger.getLogger(PushRequestService.class);

    private final PushRequestRepository requests;
    private final PushRequestQueries queries;
    private final Pool pool;
    private final Outbox outbox;
    private final Delivery delivery;
    private final DeviceMessages messages;
    private final StatusWaiters waiters;
    private final DomainRate domainRate;
    private final PushConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;

    public PushRequestService(PushRequestRepository requests, PushRequestQueries queries, Pool pool, Outbox outbox,
                              Delivery delivery, DeviceMessages messages, StatusWaiters waiters, DomainRate domainRate,
                              PushConfig config, ObjectMapper mapper, Clock clock) {
        this.requests = requests;
        this.queries = queries;
        this.pool = pool;
        this.outbox = outbox;
        this.delivery = delivery;
        this.messages = messages;
        this.waiters = waiters;
        this.domainRate = domainRate;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Creates a request and sends it to the user's devices that accept push (with biometric
     * protection when the user's settings require it). Refused when the user is not enabled, has no
     * such device, or has as many open requests as allowed.
     *
     * @param fields name and value pairs, in order (lengths already checked by the resource)
     */
    public Uni<Created> create(String domain, String userId, String message, List<String[]> fields, Integer ttlSeconds,
                               Boolean numberMatching) {
        TransactionData data = transactionData(message, fields);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int ttl = ttlSeconds == null ? config.requests().defaultTtlSeconds() : ttlSeconds;
        PushRequest request = new PushRequest();
        request.id = UUID.randomUUID().toString();
        request.domain = domain;
        request.userId = userId;
        request.message = message;
        request.fields = fieldsJson(data);
        request.dataHash = data.dataHash();
        request.challenge = PushResponseSignature.newChallenge();
        if (numberMatching == null || numberMatching) {
            NumberOptions options = NumberOptions.draw();
            request.numberOptions = options.toColumn();
            request.displayNumber = options.displayNumber();
        }
        request.status = RequestStatus.PENDING;
        request.createdAt = now;
        request.expiresAt = now.plusSeconds(ttl).truncatedTo(ChronoUnit.SECONDS);
        Instant windowStart = now.minus(config.requests().userWindow());
        List<Device> targets = new ArrayList<>();
        List<RequestView> expired = new ArrayList<>();
        return domainRate.count(domain).chain(() -> pool.withTransaction(connection -> queries.lockAndRead(connection, domain, userId, now)
                        .chain(facts -> {
                            boolean enabled = facts.enabled() == null ? config.users().enabledByDefault() : facts.enabled();
                            if (!enabled) {
                                throw new ProblemException(PushProblem.PUSH_NOT_ENABLED, "The user is not enabled for push"
                                        + " approvals; an admin enables them (PUT /api/v1/push/users/{userId})");
                            }
                            request.requireBiometric = facts.enabled() != null && facts.requireBiometric();
                            targets.addAll(eligible(facts.devices(), request.requireBiometric, now));
                            List<Outbox.Row> events = new ArrayList<>();
                            facts.overdue().forEach(overdue -> events.add(outbox.row(expiredEvent(overdue))));
                            events.add(outbox.row(new EventDraft(PushRequested.TYPE, EventKey.of(userId, domain), subject(request.id),
                                    new PushRequested(request.id, userId, domain, request.dataHash, request.numberMatching(),
                                            request.requireBiometric, targets.size(), request.expiresAt, now))));
                            return queries.open(connection, request, windowStart, config.requests().maxOpenPerUser(),
                                    config.requests().maxPerUser(), facts.overdue().stream().map(r -> r.id).toList(), events)
                                    .map(opened -> {
                                        if (opened.open() >= config.requests().maxOpenPerUser()) {
                                            throw tooMany(opened.open(), opened.firstExpiry(), now);
                                        }
                                        if (opened.recent() >= config.requests().maxPerUser()) {
                                            throw tooManyRecent(opened.recent(), opened.oldestRecent(), now);
                                        }
                                        facts.overdue().stream().filter(r -> opened.expired().contains(r.id))
                                                .forEach(r -> expired.add(RequestView.of(r).with(RequestStatus.EXPIRED, null, null, null)));
                                        return opened;
                                    });
                        })))
                .invoke(() -> {
                    expired.forEach(view -> delivery.statusChanged(view).subscribe().with(v -> { }));
                    dispatch(request, targets);
                })
                .map(ignored -> new Created(request.id, request.expiresAt, request.displayNumber));
    }

    private static String subject(String requestId) {
        return "push-request/" + requestId;
    }

    private static EventDraft expiredEvent(PushRequest request) {
        return expiredEvent(request, request.expiresAt);
    }

    private static EventDraft expiredEvent(PushRequest request, Instant expiredAt) {
        return new EventDraft(PushExpired.TYPE, EventKey.of(request.userId, request.domain), subject(request.id),
                new PushExpired(request.id, request.userId, request.domain, request.dataHash, expiredAt));
    }

    /**
     * Push was switched off for the user: in the caller's transaction (which holds the user's lock), every
     * pending request of the user expires now, with its PushExpired through the outbox, as a due one does.
     * Answers them as they now read; the caller tells the devices ({@link #announce}) once it committed.
     */
    Uni<List<RequestView>> expireAllPendingOf(String domain, String userId, Instant now) {
        return requests.lockPendingOf(domain, userId).chain(pending -> Multi.createFrom().iterable(pending)
                .onItem().transformToUniAndConcatenate(request -> requests.expireNow(request.id, now).chain(rows -> rows == 0
                        ? Uni.createFrom().<RequestView>nullItem()
                        : outbox.add(expiredEvent(request, now)).replaceWith(RequestView.of(request)
                                .with(RequestStatus.EXPIRED, null, null, null).withExpiresAt(now))))
                .filter(Objects::nonNull).collect().asList());
    }

    /** Tells every replica's waiters and the users' connected devices that these requests ended (after the commit). */
    void announce(List<RequestView> ended) {
        ended.forEach(view -> delivery.statusChanged(view).subscribe().with(v -> { }));
    }

    /** The devices that are sent the request: active, accepting push, biometric when required; 409 when there is none. */
    private static List<Device> eligible(List<Device> devices, boolean requireBiometric, Instant now) {
        List<Device> push = devices.stream().filter(d -> d.acceptsPush() && d.certificateInForce(now)).toList();
        if (push.isEmpty()) {
            throw new ProblemException(PushProblem.NO_PUSH_DEVICE, devices.isEmpty()
                    ? "The user has no online device: a device must be activated online (or migrated online) first"
                    : "None of the user's online devices accepts push requests (an admin removed push from their authentication"
                    + " types, or their certificates expired)");
        }
        if (!requireBiometric) {
            return push;
        }
        List<Device> biometric = push.stream().filter(d -> d.biometric).toList();
        if (biometric.isEmpty()) {
            throw new ProblemException(PushProblem.NO_BIOMETRIC_DEVICE, "The user's settings require biometric protection, and"
                    + " none of the user's " + push.size() + " push device(s) declared it");
        }
        return biometric;
    }

    private static ProblemException tooMany(long open, Instant firstExpiry, Instant now) {
        Instant first = firstExpiry == null ? now : firstExpiry;
        long retryAfter = Math.max(1, Duration.between(now, first).toSeconds() + 1);
        return new ProblemException(PushProblem.TOO_MANY_OPEN_REQUESTS, "The user has " + open
                + " open push request(s), the most allowed; the oldest ends within " + retryAfter + " s",
                Map.of("Retry-After", Long.toString(retryAfter)));
    }

    private ProblemException tooManyRecent(long recent, Instant oldest, Instant now) {
        Instant freed = oldest == null ? now : oldest.plus(config.requests().userWindow());
        long retryAfter = Math.max(1, Duration.between(now, freed).toSeconds() + 1);
        return new ProblemException(PushProblem.TOO_MANY_PUSH_REQUESTS, "The user was sent " + recent
                + " push requests within " + config.requests().userWindow().toMinutes() + " minutes, the most allowed"
                + " (countersign.push.requests.max-per-user); the next is allowed in " + retryAfter + " s",
                Map.of("Retry-After", Long.toString(retryAfter)));
    }

    /** Expires one due request with its PushExpired, if no one did; null when someone else did. */
    Uni<RequestView> expireInTransaction(PushRequest request, Instant now) {
        return requests.expire(request.id, now).chain(rows -> rows == 0 ? Uni.createFrom().nullItem()
                : outbox.add(expiredEvent(request)).replaceWith(RequestView.of(request).with(RequestStatus.EXPIRED, null, null, null)));
    }

    private void dispatch(PushRequest request, List<Device> targets) {
        String json = messages.json(messages.pushRequest(request));
        for (Device device : targets) {
            WakeTarget wake = device.canBeWoken() ? new WakeTarget(device.instanceId, device.platform, device.pushToken) : null;
            delivery.toDevice(device.instanceId, json, wake, request.expiresAt).subscribe().with(
                    route -> LOG.debugf("Request %s to device %s: %s", request.id, device.instanceId, route),
                    e -> LOG.warnf("Request %s to device %s not delivered: %s", request.id, device.instanceId, e.toString()));
        }
    }

    /**
     * A request's status; an overdue one is expired first (once, with its event). 404 for another
     * domain's, exactly as for none at all.
     */
    public Uni<RequestView> status(String domain, String requestId) {
        Instant now = clock.instant();
        return queries.findIn(domain, requestId).chain(request -> {
            if (request == null) {
                throw unknown(requestId);
            }
            if (!request.isOverdue(now)) {
                return Uni.createFrom().item(RequestView.of(request));
            }
            return expire(request, now).chain(view -> view != null ? Uni.createFrom().item(view)
                    : queries.findIn(domain, requestId).map(RequestView::of));
        });
    }

    /**
     * Expires a request read overdue, with its PushExpired in the same statement, and tells everyone; null
     * when someone else recorded its end first.
     */
    Uni<RequestView> expire(PushRequest request, Instant now) {
        return queries.expire(request.id, now, outbox.row(expiredEvent(request)))
                .map(expired -> expired ? RequestView.of(request).with(RequestStatus.EXPIRED, null, null, null) : null)
                .call(view -> view == null ? Uni.createFrom().voidItem() : delivery.statusChanged(view));
    }

    /**
     * The user's pending requests in the caller's domain that are still in time, newest first (at most
     * {@link PushLimits#MAX_LISTED_PENDING}); another domain's user of the same id has none here.
     */
    public Uni<List<Pending>> listPending(String domain, String userId) {
        Instant now = clock.instant();
        return Panache.withSession(() -> requests.listOpenOf(domain, userId, now, PushLimits.MAX_LISTED_PENDING))
                .map(list -> list.stream().map(r -> new Pending(RequestView.of(r), r.message, r.fields == null ? "[]" : r.fields))
                        .toList());
    }

    /**
     * The status, after waiting up to {@code waitSeconds} for it to leave pending (or until the request
     * expires, whichever comes first). No thread waits: a registered waiter and a timer.
     *
     * <p>What is answered is always read from PostgreSQL (by domain and id). A status broadcast only wakes
     * the waiter: anyone who can PUBLISH on Redis can send one, so its content is never answered. When
     * the re-read still says pending, the wait goes on for the time left (one primary-key read per
     * wake-up), so that forged or stray broadcasts neither decide a request nor cut long-polls short.
     */
    public Uni<RequestView> awaitStatus(String domain, String requestId, int waitSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, waitSeconds));
        return Uni.createFrom().emitter(emitter -> {
            AtomicReference<StatusWaiters.Waiter> current = new AtomicReference<>();
            AtomicBoolean over = new AtomicBoolean();
            emitter.onTermination(() -> {
                over.set(true);
                StatusWaiters.Waiter waiter = current.get();
                if (waiter != null) {
                    waiter.cancel();
                }
            });
            awaitStep(emitter, current, over, domain, requestId, waitSeconds > 0, deadline);
        });
    }

    /**
     * One round of a wait: register, read, wait. Woken by a broadcast, a new round re-reads (each round
     * is its own subscription, on the event loop, so that many wake-ups do not nest).
     */
    private void awaitStep(UniEmitter<? super RequestView> emitter, AtomicReference<StatusWaiters.Waiter> current,
                           AtomicBoolean over, String domain, String requestId, boolean wait, long deadline) {
        if (over.get()) {
            return;
        }
        StatusWaiters.Waiter waiter = waiters.register(requestId);
        current.set(waiter);
        if (over.get()) {
            waiter.cancel();
            return;
        }
        status(domain, requestId).onFailure().invoke(waiter::cancel).chain(view -> {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (view.status().isFinal() || !wait || left <= 0) {
                waiter.cancel();
                return Uni.createFrom().item(view);
            }
            long untilExpiry = Duration.between(clock.instant(), view.expiresAt()).toMillis() + 50;
            long millis = Math.min(left, Math.max(1, untilExpiry));
            // Woken: null, and the next round reads again; the time ran out: the status as it now reads.
            return waiter.await(millis).chain(woken -> Boolean.TRUE.equals(woken) ? Uni.createFrom().<RequestView>nullItem()
                    : status(domain, requestId));
        }).subscribe().with(view -> {
            if (view != null) {
                emitter.complete(view);
            } else {
                awaitStep(emitter, current, over, domain, requestId, wait, deadline);
            }
        }, emitter::fail);
    }

    /**
     * The status now, at every change, and at least every 25 s, until it is final. The first status is
     * read before the stream is handed out, so that an unknown request is a 404 before any event is sent.
     */
    public Uni<Multi<RequestView>> stream(String domain, String requestId) {
        return status(domain, requestId).map(first -> Multi.createFrom().emitter(emitter -> {
            emitter.emit(first);
            if (first.status().isFinal()) {
                emitter.complete();
            } else {
                streamStep(emitter, domain, requestId, first);
            }
        }));
    }

    private void streamStep(MultiEmitter<? super RequestView> emitter, String domain, String requestId, RequestView last) {
        if (emitter.isCancelled()) {
            return;
        }
        awaitStatus(domain, requestId, last == null ? 0 : (int) STREAM_REFRESH.toSeconds()).subscribe().with(view -> {
            emitter.emit(view);
            if (view.status().isFinal()) {
                emitter.complete();
            } else {
                streamStep(emitter, domain, requestId, view);
            }
        }, emitter::fail);
    }

    private static TransactionData transactionData(String message, List<String[]> fields) {
        List<TransactionField> list = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            try {
                list.add(new TransactionField(fields.get(i)[0], fields.get(i)[1]));
            } catch (InvalidTransactionDataException e) {
                throw new ProblemException(PushProblem.INVALID_TRANSACTION_DATA, "fields[" + i + "]: " + e.getMessage());
            }
        }
        try {
            return new TransactionData(message, list);
        } catch (InvalidTransactionDataException e) {
            throw new ProblemException(PushProblem.INVALID_TRANSACTION_DATA, e.getMessage());
        }
    }

    private String fieldsJson(TransactionData data) {
        List<DeviceMessages.Field> list = data.fields().stream().map(f -> new DeviceMessages.Field(f.name(), f.value())).toList();
        try {
            return mapper.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Fields cannot be written: " + e.getOriginalMessage());
        }
    }

    static ProblemException unknown(String requestId) {
        return new ProblemException(PushProblem.UNKNOWN_PUSH_REQUEST, "No push request " + requestId);
    }

    /** Expires up to {@code limit} due requests in one transaction; answers how many. */
    public Uni<Integer> expireDue(int limit) {
        Instant now = clock.instant();
        List<RequestView> expired = new ArrayList<>();
        return Panache.withTransaction(() -> requests.lockDue(now, limit).chain(due -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (PushRequest request : due) {
                        chain = chain.chain(() -> expireInTransaction(request, now).invoke(view -> {
                            if (view != null) {
                                expired.add(view);
                            }
                        }).replaceWithVoid());
                    }
                    return chain.replaceWith(due.size());
                }))
                .invoke(() -> expired.forEach(view -> delivery.statusChanged(view).subscribe().with(v -> { })));
    }
}
