package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.countersign.events.AtRestSealer;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.OtpRejected;
import org.countersign.events.payload.OtpVerified;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialKind;
import org.countersign.otp.domain.CredentialStatus;
import org.countersign.otp.domain.PinHash;
import org.countersign.otp.domain.User;
import org.countersign.otp.events.CredentialsConsumer;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.otp.repository.UserRepository;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.OtpVerifier;
import org.countersign.protocol.OtpWindow;
import org.countersign.protocol.SealedValue;
import org.countersign.protocol.Secret;
import org.jboss.logging.Logger;

/**
 * Checks an OTP against the user's credentials. Acceptance is decided by the database: the replay
 * state moves forward in a conditional UPDATE, so a step or counter is accepted once, even when
 * two requests with the same code arrive together. A failed check is an answer, not an error, and
 * never says why. Guessing is throttled per credential ({@link Throttle}) and per user
 * ({@link UserThrottle}).
 *
 * <p>A user with a server PIN types the PIN followed by the OTP; the last {@code digits} characters
 * (the credential's) are the OTP. The PIN is checked with Argon2id whenever the user has one, even
 * when the OTP part is malformed, and the OTP is checked even when the PIN is wrong; only when both
 * are right is the code consumed. So a wrong PIN does not burn the OTP, and neither the answer nor
 * the time tells which part was wrong.
 */
@ApplicationScoped
public class VerificationService {

    private static final Logger LOG = Logger.getLogger(VerificationService.class);

    /** The outcome: accepted (with the credential's serial number), rejected, or locked. */
    public record Outcome(Result result, String serialNumber, Long retryAfterSeconds) {
        static final Outcome REJECTED = new Outcome(Result.REJECTED, null, null);
    }

    public enum Result {
        ACCEPTED,
        REJECTED,
        LOCKED
    }

    private final CredentialRepository credentials;
    private final UserRepository users;
    private final Throttle throttle;
    private final UserThrottle userThrottle;
    private final PinHasher pins;
    private final Outbox outbox;
    private final AtRestSealer sealer;
    private final OtpConfig config;
    private final Clock clock;

    public VerificationService(CredentialRepository credentials, UserRepository users, Throttle throttle,
                               UserThrottle userThrottle, PinHasher pins, Outbox outbox, AtRestSealer sealer, OtpConfig config,
                               Clock clock) {
        this.credentials = credentials;
        this.users = users;
        this.throttle = throttle;
        this.userThrottle = userThrottle;
        this.pins = pins;
        this.outbox = outbox;
        this.sealer = sealer;
        this.config = config;
        this.clock = clock;
    }

    /** What a check starts from: the user's row (PIN, lock) and the credentials named. */
    private record Subject(User user, List<Credential> candidates, List<Credential> open) {
    }

    /**
     * Reads in one session, hashes the PIN outside any (a connection is never held through
     * Argon2id), then decides and writes in one transaction.
     */
    public Uni<Outcome> verify(String domain, String userId, String typed, String serialNumber) {
        Instant now = clock.instant();
        return Panache.withSession(() -> users.find(domain, userId).chain(user -> credentials.listUsable(domain, userId)
                        .map(list -> subject(user, list, serialNumber, now))))
                .chain(subject -> checkPin(subject, typed, now).chain(pinOk -> Panache.withTransaction(() ->
                                decide(domain, userId, typed, subject, pinOk, now)
                                        .call(result -> publish(domain, userId, result, subject.candidates(), now))))
                        .call(result -> upgradePin(domain, userId, typed, subject, result)));
    }

    /**
     * After an accepted PIN+OTP, a PIN hashed with other Argon2id parameters than today's is hashed
     * again with today's: raising the parameters reaches every active user at their next login. The
     * code was accepted and committed already, so a failure here is logged, not answered.
     */
    private Uni<Void> upgradePin(String domain, String userId, String typed, Subject subject, Outcome outcome) {
        PinHash pin = subject.user() == null ? null : subject.user().pin();
        if (outcome.result() != Result.ACCEPTED || pin == null || !pins.outdated(pin)) {
            return Uni.createFrom().voidItem();
        }
        int digits = subject.open().stream().filter(c -> c.serialNumber.equals(outcome.serialNumber()))
                .mapToInt(VerificationService::digits).findFirst().orElse(0);
        return pins.hash(pinPart(typed, digits))
                .chain(hash -> Panache.withTransaction(() -> users.replacePin(domain, userId, pin, hash, clock.instant())))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not re-hash the PIN of %s@%s with today's parameters (%s)", userId, domain,
                            e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Outcome> decide(String domain, String userId, String typed, Subject subject, Map<Integer, Boolean> pinOk,
                                Instant now) {
        Long userRetryAfter = UserThrottle.retryAfter(subject.user(), now);
        if (userRetryAfter != null) {
            return Uni.createFrom().item(new Outcome(Result.LOCKED, null, userRetryAfter));
        }
        if (subject.open().isEmpty() && !subject.candidates().isEmpty()) {
            return Uni.createFrom().item(lockedOutcome(subject.candidates(), now));
        }
        PinHash pin = subject.user() == null ? null : subject.user().pin();
        return tryEach(subject.open(), 0, userId, typed, pin == null ? null : pinOk, now)
                .call(result -> result.result() == Result.ACCEPTED
                        ? Uni.createFrom().voidItem() : countFailures(subject.open(), domain, userId));
    }

    /**
     * For each OTP length among the open credentials: whether what was typed before that many last
     * characters is the user's PIN. Empty when the user has no PIN, or is locked (nothing is checked).
     */
    private Uni<Map<Integer, Boolean>> checkPin(Subject subject, String typed, Instant now) {
        PinHash pin = subject.user() == null ? null : subject.user().pin();
        if (pin == null || UserThrottle.retryAfter(subject.user(), now) != null) {
            return Uni.createFrom().item(Map.of());
        }
        Map<Integer, Boolean> results = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int digits : subject.open().stream().map(VerificationService::digits).filter(d -> d > 0)
                .collect(Collectors.toCollection(TreeSet::new))) {
            chain = chain.chain(() -> pins.matches(pin, pinPart(typed, digits)).invoke(ok -> results.put(digits, ok))
                    .replaceWithVoid());
        }
        return chain.replaceWith(results);
    }

    private Subject subject(User user, List<Credential> list, String serialNumber, Instant now) {
        List<Credential> candidates = candidates(list, serialNumber);
        return new Subject(user, candidates, candidates.stream().filter(c -> !locked(c, now)).toList());
    }

    /** What happened, for audit and fraud consumers; never the code. */
    private Uni<?> publish(String domain, String userId, Outcome outcome, List<Credential> candidates, Instant now) {
        String key = EventKey.of(userId, domain);
        if (outcome.result() == Result.ACCEPTED) {
            String instanceId = candidates.stream().filter(c -> c.serialNumber.equals(outcome.serialNumber()))
                    .map(c -> c.instanceId).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            return outbox.add(new EventDraft(OtpVerified.TYPE, key, "user/" + userId,
                    new OtpVerified(userId, domain, outcome.serialNumber(), instanceId, now)));
        }
        return outbox.add(new EventDraft(OtpRejected.TYPE, key, "user/" + userId, new OtpRejected(userId, domain,
                outcome.result() == Result.LOCKED ? "locked" : "no-match", now)));
    }

    /**
     * Checks the code against each credential in turn. With a PIN ({@code pinOk} not null), the OTP
     * part is checked whatever the PIN's result, and the code is consumed only if the PIN was right.
     */
    private Uni<Outcome> tryEach(List<Credential> list, int index, String userId, String typed, Map<Integer, Boolean> pinOk,
                                 Instant now) {
        if (index >= list.size()) {
            return Uni.createFrom().item(Outcome.REJECTED);
        }
        Credential credential = list.get(index);
        int digits = digits(credential);
        Match match = match(credential, pinOk == null ? typed : otpPart(typed, digits), now);
        if (match == null || (pinOk != null && !pinOk.getOrDefault(digits, false))) {
            return tryEach(list, index + 1, userId, typed, pinOk, now);
        }
        return credentials.advance(credential, userId, match.movingFactor(), match.drift(), now)
                .chain(won -> won ? throttle.succeeded(credential.id)
                        .replaceWith(new Outcome(Result.ACCEPTED, credential.serialNumber, null))
                        : tryEach(list, index + 1, userId, typed, pinOk, now));
    }

    /**
     * A miss counts against every credential it was checked against (guessing any of them is
     * guessing), and once against the user. Nothing counts when there was nothing to check.
     */
    private Uni<Void> countFailures(List<Credential> checked, String domain, String userId) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Credential credential : checked) {
            chain = chain.chain(() -> throttle.failed(credential, userId));
        }
        return checked.isEmpty() ? chain : chain.chain(() -> userThrottle.failed(domain, userId));
    }

    /** The OTP length of a credential; 0 for one that has no OTP policy (OCRA), which never matches here. */
    private static int digits(Credential credential) {
        return credential.otpPolicy == null ? 0 : OtpPolicy.parse(credential.otpPolicy).digits();
    }

    /** What was typed before the OTP: empty when the input is no longer than the OTP. */
    static String pinPart(String typed, int digits) {
        return typed.length() <= digits ? "" : typed.substring(0, typed.length() - digits);
    }

    /** The last {@code digits} characters; all of it when shorter (a malformed OTP then fails to match). */
    static String otpPart(String typed, int digits) {
        return typed.length() <= digits ? typed : typed.substring(typed.length() - digits);
    }

    private static boolean locked(Credential credential, Instant now) {
        return credential.status == CredentialStatus.LOCKED
                || (credential.lockedUntil != null && credential.lockedUntil.isAfter(now));
    }

    /** retryAfter is the soonest a temporary lock ends; absent when only an admin can unlock. */
    private static Outcome lockedOutcome(List<Credential> candidates, Instant now) {
        Long retryAfter = candidates.stream()
                .filter(c -> c.status != CredentialStatus.LOCKED && c.lockedUntil != null)
                .map(c -> Math.max(1, java.time.Duration.between(now, c.lockedUntil).toSeconds()))
                .min(Long::compare).orElse(null);
        return new Outcome(Result.LOCKED, null, retryAfter);
    }

    private record Match(long movingFactor, int drift) {
    }

    /**
     * Resynchronisation (RFC 4226 section 7.4): two consecutive codes of one token, searched in a wide
     * window, move its replay state to the second and, for TOTP, teach its drift. A miss counts as a
     * failed check.
     */
    @WithTransaction
    public Uni<Outcome> resync(String domain, String userId, String serialNumber, String first, String second) {
        Instant now = clock.instant();
        return users.find(domain, userId).chain(user -> credentials.listUsable(domain, userId).chain(list -> {
            Long userRetryAfter = UserThrottle.retryAfter(user, now);
            if (userRetryAfter != null) {
                return Uni.createFrom().item(new Outcome(Result.LOCKED, null, userRetryAfter));
            }
            List<Credential> candidates = candidates(list, serialNumber);
            List<Credential> open = candidates.stream().filter(c -> !locked(c, now)).toList();
            if (open.isEmpty()) {
                return Uni.createFrom().item(candidates.isEmpty() ? Outcome.REJECTED : lockedOutcome(candidates, now));
            }
            Credential credential = open.get(0);
            Match match = matchConsecutive(credential, first, second, now);
            if (match == null) {
                return countFailures(open, domain, userId).replaceWith(Outcome.REJECTED);
            }
            return credentials.advance(credential, userId, match.movingFactor(), match.drift(), now)
                    .chain(won -> won ? throttle.succeeded(credential.id)
                            .replaceWith(new Outcome(Result.ACCEPTED, credential.serialNumber, null))
                            : Uni.createFrom().item(Outcome.REJECTED));
        }));
    }

    private Match matchConsecutive(Credential credential, String first, String second, Instant now) {
        return withVerifier(credential, (policy, verifier) -> {
            if (policy.kind() == OtpPolicy.Kind.TOTP) {
                long current = policy.timeStep(now.getEpochSecond());
                int steps = config.window().resyncTotpSteps();
                long step = verifier.verifyConsecutive(first, second,
                        OtpWindow.around(current, steps, steps).after(credential.lastAccepted));
                return new Match(step, (int) (step - current));
            }
            long counter = verifier.verifyConsecutive(first, second,
                    OtpWindow.lookAhead(credential.lastAccepted + 1, config.window().resyncHotpLookAhead()));
            return new Match(counter, credential.drift);
        });
    }

    private Match match(Credential credential, String code, Instant now) {
        return withVerifier(credential, (policy, verifier) -> {
            if (policy.kind() == OtpPolicy.Kind.TOTP) {
                long current = policy.timeStep(now.getEpochSecond());
                OtpWindow window = OtpWindow.around(current + credential.drift, config.window().totpBefore(),
                        config.window().totpAfter()).after(credential.lastAccepted);
                long step = verifier.verify(code, window);
                return new Match(step, (int) (step - current));
            }
            OtpWindow window = OtpWindow.lookAhead(credential.lastAccepted + 1, config.window().hotpLookAhead());
            return new Match(verifier.verify(code, window), credential.drift);
        });
    }

    /** Opens the credential's key for one check; null when it is not an OTP credential or the check fails. */
    private Match withVerifier(Credential credential, java.util.function.BiFunction<OtpPolicy, OtpVerifier, Match> check) {
        if (credential.kind == CredentialKind.OCRA || credential.otpPolicy == null) {
            return null;
        }
        OtpPolicy policy = OtpPolicy.parse(credential.otpPolicy);
        Secret key = sealer.open(SealedValue.parse(credential.sealedSecret), CredentialsConsumer.OTP_KEY);
        try {
            return check.apply(policy, OtpVerifier.of(policy, key));
        } catch (InvalidCodeException e) {
            return null;
        } finally {
            key.destroy();
        }
    }

    private static List<Credential> candidates(List<Credential> list, String serialNumber) {
        return serialNumber == null ? list : list.stream().filter(c -> c.serialNumber.equals(serialNumber)).toList();
    }
}
