package org.countersign.otp.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.CredentialLocked;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialStatus;
import org.countersign.otp.domain.Reservation;
import org.countersign.otp.domain.User;
import org.countersign.otp.repository.CheckRepository;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.otp.repository.UserRepository;
import org.jboss.logging.Logger;

/**
 * Throttles guessing per credential and per user, in PostgreSQL alone (the truth; a Redis restart
 * forgets nothing). Before a guess is evaluated, {@link #reserve} takes one attempt from the budget of
 * the user and of every credential it will be checked against, atomically, so N parallel guesses cost
 * N attempts and none beyond the budget is evaluated. A reservation counts as a failure until a right
 * answer gives it back (the repository's accepting statements do, in the same statement). A failure
 * that spent a budget locks ({@link #failed}); locks escalate ({@code lock-durations}: each lock in a
 * row lasts longer, the last duration repeats), and only a domain that opted in makes a credential's
 * n-th lock in a row permanent.
 */
@ApplicationScoped
public class Throttle {

    private static final Logger LOG = Logger.getLogger(Throttle.class);

    private final UserRepository users;
    private final CredentialRepository credentials;
    private final CheckRepository checks;
    private final Outbox outbox;
    private final OtpConfig.Throttle config;
    private final Long[] credentialLockSeconds;
    private final Long[] userLockSeconds;
    private final Counter reserved;
    private final Counter refused;

    public Throttle(UserRepository users, CredentialRepository credentials, CheckRepository checks, Outbox outbox,
                    OtpConfig config, MeterRegistry registry) {
        this.users = users;
        this.credentials = credentials;
        this.checks = checks;
        this.outbox = outbox;
        this.config = config.throttle();
        this.credentialLockSeconds = secondsArray(this.config.lockDurations());
        this.userLockSeconds = secondsArray(this.config.user().lockDurations());
        this.reserved = attempts(registry, "reserved");
        this.refused = attempts(registry, "refused");
    }

    /** Attempts reserved (each is evaluated) and refused (locked or out of budget: nothing is evaluated). */
    private static Counter attempts(MeterRegistry registry, String result) {
        return Counter.builder("countersign.otp.attempts").tag("result", result)
                .description("Guesses reserved before evaluation, and guesses refused by the throttle").register(registry);
    }

    /**
     * Reserves one attempt of the user against the credentials named (in one statement). Outside a
     * transaction it commits at once; inside one it holds the user's and the credentials' rows until
     * the transaction ends.
     */
    public Uni<Reservation> reserve(String domain, String userId, Collection<UUID> credentialIds, Instant now) {
        return users.reserveAttempt(domain, userId, credentialIds, now, config.period(), config.maxFailures(),
                        credentialLockSeconds, config.user().period(), config.user().maxFailures(), userLockSeconds)
                .invoke(reservation -> (reservation.granted() ? reserved : refused).increment());
    }

    /**
     * Accepts a code that matched, in one statement with its event, only while the credential and the
     * user are unlocked and within their budgets: a guess beyond a budget is never accepted. Nothing is
     * reserved first: the code was matched before (an HMAC), and a miss is counted by
     * {@link #countFailure}. An accepted guess counts as an attempt evaluated.
     *
     * @return true for the one request that may accept the code
     */
    public Uni<Boolean> accept(Credential credential, String userId, long accepted, int drift, Instant now, Outbox.Row event) {
        return checks.accept(credential, userId, accepted, drift, now, config.period(), config.user().period(), event)
                .invoke(won -> {
                    if (won) {
                        reserved.increment();
                    }
                });
    }

    /**
     * A guess that was evaluated and not accepted counts one attempt against the user and every open
     * credential named, as {@link #reserve} would, and its event is written in the same statement
     * ({@code asCounted} or {@code asRefused}); when the budgets were spent already it is refused.
     */
    public Uni<Reservation> countFailure(String domain, String userId, List<UUID> credentialIds, Instant now,
                                         Outbox.Row asCounted, Outbox.Row asRefused) {
        return checks.failed(domain, userId, credentialIds, now, config.period(), config.maxFailures(), credentialLockSeconds,
                        config.user().period(), config.user().maxFailures(), userLockSeconds, asCounted, asRefused)
                .invoke(reservation -> (reservation.granted() ? reserved : refused).increment());
    }

    /** Whether this failure spent a budget, so that {@link #failed} has a lock to write. */
    public boolean locksSomething(Reservation reservation, List<Credential> checked) {
        return reservation.userFailures() >= config.user().maxFailures()
                || checked.stream().anyMatch(c -> reservation.spends(c.id, config.maxFailures()));
    }

    /** A refusal without a reservation: a lock already known from what was read. */
    public Reservation refusedAsRead(Long retryAfterSeconds) {
        refused.increment();
        return Reservation.refused(retryAfterSeconds);
    }

    /**
     * A reserved attempt failed: it stays counted. When it spent the budget of a credential or of
     * the user, that one is locked now (a credential's lock publishes CredentialLocked). Credentials
     * are locked before the user, in id order, the order every statement takes their rows in.
     */
    public Uni<Void> failed(Reservation reservation, List<Credential> checked, String domain, String userId, Instant now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Credential credential : checked.stream().sorted(Comparator.comparing(c -> c.id)).toList()) {
            if (reservation.spends(credential.id, config.maxFailures())) {
                chain = chain.chain(() -> lock(credential, userId, now));
            }
        }
        if (reservation.userFailures() >= config.user().maxFailures()) {
            chain = chain.chain(() -> lockUser(domain, userId, now));
        }
        return chain;
    }

    private Uni<Void> lock(Credential credential, String userId, Instant now) {
        return credentials.lock(credential.id, now, now.minus(config.period()), config.maxFailures(), credentialLockSeconds)
                .call(locked -> {
                    if (locked.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Instant until = locked.get().status() == CredentialStatus.LOCKED ? null
                            : now.plus(duration(config.lockDurations(), locked.get().lockCount()));
                    LOG.infof("Credential %s of %s@%s locked %s after %d failures (lock %d in a row)", credential.id, userId,
                            credential.domain, until == null ? "until an admin unlocks it" : "until " + until,
                            config.maxFailures(), locked.get().lockCount());
                    return outbox.add(new EventDraft(CredentialLocked.TYPE, EventKey.of(userId, credential.domain),
                            "credential/" + credential.id, new CredentialLocked(credential.id.toString(), credential.domain,
                            credential.serialNumber, until, now)));
                })
                .replaceWithVoid();
    }

    private Uni<Void> lockUser(String domain, String userId, Instant now) {
        return users.lock(domain, userId, now, now.minus(config.user().period()), config.user().maxFailures(), userLockSeconds)
                .invoke(locked -> locked.ifPresent(lockCount -> LOG.infof(
                        "User %s@%s locked for %s after %d failures (lock %d in a row)", userId, domain,
                        duration(config.user().lockDurations(), lockCount), config.user().maxFailures(), lockCount)))
                .replaceWithVoid();
    }

    /** An admin's unlock of the user: the lock, its escalation and the count are gone. */
    public Uni<Void> unlock(String domain, String userId) {
        return users.unlock(domain, userId);
    }

    /** Seconds until the user's lock ends, as read, or null when the user is not locked. */
    public static Long retryAfter(User user, Instant now) {
        if (user == null || user.lockedUntil == null || !user.lockedUntil.isAfter(now)) {
            return null;
        }
        return secondsUntil(now, user.lockedUntil);
    }

    /** Whole seconds from now until a lock ends, rounded up (a retry sooner would be refused), at least 1. */
    static long secondsUntil(Instant now, Instant until) {
        Duration left = Duration.between(now, until);
        return Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
    }

    /** The duration of the n-th lock in a row (n from 1); the last configured duration repeats. */
    static Duration duration(List<Duration> durations, int lockCount) {
        return durations.get(Math.min(Math.max(lockCount, 1), durations.size()) - 1);
    }

    /** Whole seconds, at least one each. */
    private static Long[] secondsArray(List<Duration> durations) {
        return durations.stream().map(d -> Math.max(1, d.toSeconds())).toArray(Long[]::new);
    }
}
