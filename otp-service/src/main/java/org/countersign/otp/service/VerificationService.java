package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.countersign.events.AtRestSealer;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.OtpRejected;
import org.countersign.events.payload.OtpResyncChecked;
import org.countersign.events.payload.OtpVerified;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialKind;
import org.countersign.otp.domain.CredentialStatus;
import org.countersign.otp.domain.PinHash;
import org.countersign.otp.domain.Reservation;
import org.countersign.otp.domain.SealingPurposes;
import org.countersign.otp.domain.User;
import org.countersign.otp.repository.CheckRepository;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.otp.repository.UserRepository;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.OtpVerifier;
import org.countersign.protocol.OtpWindow;
import org.countersign.secrets.Aead;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.jboss.logging.Logger;

/**
 * Checks what a user typed against the user's OTP credentials: a login ({@link #verify}), a PIN
 * change proven with PIN+OTP ({@link #changePin}) and a resynchronisation ({@link #resync}). Every
 * check goes the same way:
 * <ol>
 * <li>read the user (PIN) and the credentials named, and reserve one attempt against the user and
 * each open credential ({@link Throttle#reserve}, one statement that commits at once): a refused
 * attempt is answered {@code locked} and nothing is evaluated;</li>
 * <li>hash the PIN part with Argon2id, outside any database session, once per OTP length shorter
 * than what was typed, against the user's hash or, for a user without a PIN, a decoy: the work does
 * not depend on whether the user has a PIN;</li>
 * <li>decide and write in one transaction: the replay state moves forward in a conditional UPDATE
 * (a code is accepted once, even by two requests at the same moment), which also gives the
 * reservation back; a miss keeps it counted and locks what it spent; the event goes to the outbox.</li>
 * </ol>
 * A user with a server PIN types the PIN followed by the OTP; the last {@code digits} characters (the
 * credential's) are the OTP. The OTP is checked even when the PIN is wrong, and the code is consumed
 * only when both are right, so a wrong PIN does not burn the OTP, and the answer never says which
 * part was wrong.
 */
@ApplicationScoped
public class VerificationService {

    private static final Logger LOG = Logger.getLogger(VerificationService.class);

    /** The outcome: accepted (with the credential's serial number), rejected, or locked. */
    public record Outcome(CheckResult result, String serialNumber, Long retryAfterSeconds) {
        static final Outcome REJECTED = new Outcome(CheckResult.REJECTED, null, null);
    }

    private final CheckRepository checks;
    private final CredentialRepository credentials;
    private final UserRepository users;
    private final Throttle throttle;
    private final PinHasher pins;
    private final Outbox outbox;
    private final AtRestSealer sealer;
    private final OtpConfig config;
    private final Clock clock;

    public VerificationService(CheckRepository checks, CredentialRepository credentials, UserRepository users, Throttle throttle,
                               PinHasher pins, Outbox outbox, AtRestSealer sealer, OtpConfig config, Clock clock) {
        this.checks = checks;
        this.credentials = credentials;
        this.users = users;
        this.throttle = throttle;
        this.pins = pins;
        this.outbox = outbox;
        this.sealer = sealer;
        this.config = config;
        this.clock = clock;
    }

    /**
     * One check: who, what was typed (PIN and OTP, or OTP alone), and whether a PIN is required even
     * of a user without one (a PIN change: such a user has no PIN to prove).
     */
    private record Request(String domain, String userId, String serialNumber, String typed, boolean pinRequired, Instant now) {
    }

    /** What a check starts from: the user's row (PIN), the OTP credentials named, and the attempt. */
    private record Attempt(User user, List<Credential> candidates, Reservation reservation) {
        PinHash pin() {
            return user == null ? null : user.pin();
        }

        /** The credentials the attempt was reserved against, in the order they are tried. */
        List<Credential> reserved() {
            return candidates.stream().filter(c -> reservation.credentials().contains(c.id)).toList();
        }
    }

    /** How what was typed (its OTP part, or all of it) matches one credential; null for no match. */
    @FunctionalInterface
    private interface Matcher {
        Match match(Credential credential, String code, Instant now);
    }

    /** What an accepted check does besides consuming the code, in the same transaction. */
    @FunctionalInterface
    private interface OnAccept {
        Uni<Void> apply(Attempt attempt);

        OnAccept NOTHING = attempt -> Uni.createFrom().voidItem();
    }

    public Uni<Outcome> verify(String domain, String userId, String typed, String serialNumber) {
        Request request = new Request(domain, userId, serialNumber, typed, false, clock.instant());
        return checks.subject(domain, userId).chain(subject -> {
            List<Credential> candidates = candidates(request, subject.credentials());
            if (candidates.stream().allMatch(c -> typed.length() <= digits(c))) {
                return quickCheck(request, subject.user(), candidates);
            }
            return begin(request, subject).chain(attempt -> checkPin(attempt, typed).chain(pinOk -> Panache.withTransaction(() ->
                                    decide(request, attempt, pinOk, this::match, OnAccept.NOTHING)
                                            .call(outcome -> publish(request, outcome, attempt.candidates())))
                            .call(outcome -> upgradePin(request, attempt, outcome))));
        });
    }

    /**
     * A check with nothing typed before the OTP, for every credential: no Argon2id is due (the work
     * depends on what was typed and on the credentials, never on whether the user has a PIN), so
     * evaluating the guess is an HMAC per code in the window. The codes are matched first, in memory,
     * and the database decides, in one statement that also writes the event, whether the guess was
     * within the budgets: a match is accepted only while the credential and the user are within
     * budget and unlocked ({@link Throttle#accept}); anything else counts one attempt against the user
     * and each open credential, or is refused when none is left ({@link Throttle#countFailure}). So,
     * as with a reservation first, N parallel guesses cost N attempts and none beyond a budget is
     * answered other than {@code locked}, in two round trips (the read and the decision) instead of a
     * reservation and a transaction. A user with a PIN who typed only an OTP is refused whatever the
     * code, after the same HMACs; the code is not consumed.
     */
    private Uni<Outcome> quickCheck(Request request, User user, List<Credential> candidates) {
        if (candidates.isEmpty()) {
            return checks.record(outbox.row(event(request, Outcome.REJECTED, candidates))).replaceWith(Outcome.REJECTED);
        }
        Reservation refused = refusedAsRead(user, candidates, request.now());
        if (refused != null) {
            Outcome locked = new Outcome(CheckResult.LOCKED, null, refused.retryAfterSeconds());
            return checks.record(outbox.row(event(request, locked, candidates))).replaceWith(locked);
        }
        boolean withPin = user != null && user.pin() != null;
        // Every credential's code is computed, even for a user with a PIN (the same work either way); one locked as
        // read is not tried (the database would refuse it).
        List<Match> matches = candidates.stream().map(c -> {
            Match match = match(c, request.typed(), request.now());
            return locked(c, request.now()) ? null : match;
        }).toList();
        return acceptFirst(request, candidates, withPin ? List.<Match>of() : matches, 0).chain(accepted -> accepted != null
                ? Uni.createFrom().item(accepted) : countFailure(request, candidates));
    }

    /** Tries each credential whose code matched, in order, until one accepts; null when none did. */
    private Uni<Outcome> acceptFirst(Request request, List<Credential> candidates, List<Match> matches, int index) {
        if (index >= matches.size()) {
            return Uni.createFrom().nullItem();
        }
        Match match = matches.get(index);
        if (match == null) {
            return acceptFirst(request, candidates, matches, index + 1);
        }
        Credential credential = candidates.get(index);
        Outcome accepted = new Outcome(CheckResult.ACCEPTED, credential.serialNumber, null);
        return throttle.accept(credential, request.userId(), match.movingFactor(), match.drift(), request.now(),
                        outbox.row(event(request, accepted, candidates)))
                .chain(won -> won ? Uni.createFrom().item(accepted) : acceptFirst(request, candidates, matches, index + 1));
    }

    /** The guess was not accepted: it counts (rejected), or the budgets were spent (locked); a spent budget locks now. */
    private Uni<Outcome> countFailure(Request request, List<Credential> candidates) {
        Outcome locked = new Outcome(CheckResult.LOCKED, null, null);
        return throttle.countFailure(request.domain(), request.userId(), candidates.stream().map(c -> c.id).toList(),
                request.now(), outbox.row(event(request, Outcome.REJECTED, candidates)),
                outbox.row(event(request, locked, candidates))).chain(reservation -> {
                    if (!reservation.granted()) {
                        return Uni.createFrom().item(new Outcome(CheckResult.LOCKED, null, reservation.retryAfterSeconds()));
                    }
                    List<Credential> reserved = candidates.stream().filter(c -> reservation.credentials().contains(c.id)).toList();
                    if (!throttle.locksSomething(reservation, reserved)) {
                        return Uni.createFrom().item(Outcome.REJECTED);
                    }
                    return Panache.withTransaction(() -> throttle.failed(reservation, reserved, request.domain(), request.userId(),
                            request.now())).replaceWith(Outcome.REJECTED);
                });
    }

    /**
     * The user changes the server PIN, proving it with the old PIN and an OTP of one of the user's
     * credentials, which is consumed like a login's; failures count exactly as a login's do. A user
     * without a PIN is answered as a wrong old PIN, after the same work (a decoy Argon2id). The new
     * PIN is hashed whenever the attempt is evaluated, right or wrong, so the time tells nothing.
     *
     * @return accepted (changed), rejected or locked
     */
    public Uni<Outcome> changePin(String domain, String userId, String oldPin, String otp, String serialNumber, String newPin) {
        String typed = oldPin + otp;
        Request request = new Request(domain, userId, serialNumber, typed, true, clock.instant());
        return begin(request).chain(attempt -> checkPin(attempt, typed).chain(pinOk -> newHash(attempt, newPin)
                .chain(hash -> Panache.withTransaction(() -> decide(request, attempt, pinOk, this::match, replacePin(request, hash))
                                .call(outcome -> publish(request, outcome, attempt.candidates())))
                        // An admin reset the PIN meanwhile: nothing of the change is kept, and the code is not consumed.
                        .onFailure(PinReplacedMeanwhile.class).recoverWithUni(() -> Panache.withTransaction(() ->
                                publish(request, Outcome.REJECTED, attempt.candidates())).replaceWith(Outcome.REJECTED)))));
    }

    /**
     * Replaces the PIN the user proved, only if it is still that one (an admin's reset must win);
     * otherwise fails, so that the deciding transaction rolls back.
     */
    private OnAccept replacePin(Request request, PinHash hash) {
        return accepted -> users.replacePin(request.domain(), request.userId(), accepted.pin(), hash, clock.instant())
                .invoke(replaced -> {
                    if (!replaced) {
                        throw new PinReplacedMeanwhile();
                    }
                }).replaceWithVoid();
    }

    /** The new PIN's hash, made whenever the attempt is evaluated; null when it is not (nothing is done). */
    private Uni<PinHash> newHash(Attempt attempt, String newPin) {
        return attempt.reservation().granted() ? pins.hash(newPin) : Uni.createFrom().nullItem();
    }

    /** Thrown inside the deciding transaction so that it rolls back: the code is not consumed. */
    private static final class PinReplacedMeanwhile extends RuntimeException {
        PinReplacedMeanwhile() {
            super(null, null, false, false);
        }
    }

    /**
     * Resynchronisation (RFC 4226 section 7.4): two consecutive codes of one token, searched in a wide
     * window, move its replay state to the second and, for TOTP, teach its drift. A user with a server
     * PIN types it before the first code, as at a login ({@code first} is PIN+OTP): a token found or
     * stolen is not enough to resynchronise it. A miss counts as a failed check. Every outcome
     * publishes OtpResyncChecked.
     */
    public Uni<Outcome> resync(String domain, String userId, String serialNumber, String first, String second) {
        Request request = new Request(domain, userId, serialNumber, first, false, clock.instant());
        Matcher consecutive = (credential, code, now) -> matchConsecutive(credential, code, second, now);
        return begin(request).chain(attempt -> checkPin(attempt, first).chain(pinOk -> Panache.withTransaction(() ->
                decide(request, attempt, pinOk, consecutive, OnAccept.NOTHING)
                        .call(outcome -> publishResync(request, outcome, attempt.candidates())))));
    }

    /**
     * Reads the user and the credentials in one session, and reserves the attempt in the same session
     * outside any transaction, so that it commits at once. A lock already visible in what was read
     * refuses the attempt without a reservation (a stale read may refuse, never grant).
     */
    private Uni<Attempt> begin(Request request) {
        return checks.subject(request.domain(), request.userId()).chain(subject -> begin(request, subject));
    }

    private Uni<Attempt> begin(Request request, CheckRepository.Subject subject) {
        User user = subject.user();
        List<Credential> candidates = candidates(request, subject.credentials());
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(new Attempt(user, candidates, Reservation.NOTHING_TO_CHECK));
        }
        Reservation refused = refusedAsRead(user, candidates, request.now());
        if (refused != null) {
            return Uni.createFrom().item(new Attempt(user, candidates, refused));
        }
        List<Credential> open = candidates.stream().filter(c -> !locked(c, request.now())).toList();
        return Panache.withSession(() -> throttle.reserve(request.domain(), request.userId(), open.stream().map(c -> c.id).toList(),
                request.now())).map(reservation -> new Attempt(user, candidates, reservation));
    }

    /** The OTP credentials among the usable ones, or the one the request names. */
    private static List<Credential> candidates(Request request, List<Credential> usable) {
        return usable.stream().filter(c -> c.otpPolicy != null)
                .filter(c -> request.serialNumber() == null || c.serialNumber.equals(request.serialNumber()))
                .toList();
    }

    /**
     * A refusal when a lock is visible in what was read (the user's, or every credential's), without a
     * reservation: a stale read may refuse, never grant. Null when the database must decide.
     */
    private Reservation refusedAsRead(User user, List<Credential> candidates, Instant now) {
        Long userRetryAfter = Throttle.retryAfter(user, now);
        boolean noneOpen = candidates.stream().allMatch(c -> locked(c, now));
        if (userRetryAfter == null && !noneOpen) {
            return null;
        }
        return throttle.refusedAsRead(noneOpen ? later(retryAfter(candidates, now), userRetryAfter) : userRetryAfter);
    }

    /**
     * For each OTP length among the credentials reserved that is shorter than what was typed: whether
     * what was typed before that many last characters is the user's PIN. One Argon2id per length,
     * against the user's hash or, without a PIN, a decoy with today's parameters; none when the
     * attempt was refused, or when what was typed holds no PIN part (a PIN is never empty).
     */
    private Uni<Map<Integer, Boolean>> checkPin(Attempt attempt, String typed) {
        if (!attempt.reservation().granted()) {
            return Uni.createFrom().item(Map.of());
        }
        Map<Integer, Boolean> results = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int digits : attempt.reserved().stream().map(VerificationService::digits).filter(d -> typed.length() > d)
                .collect(Collectors.toCollection(TreeSet::new))) {
            chain = chain.chain(() -> pins.matches(attempt.pin(), pinPart(typed, digits))
                    .invoke(ok -> results.put(digits, ok)).replaceWithVoid());
        }
        return chain.replaceWith(results);
    }

    private Uni<Outcome> decide(Request request, Attempt attempt, Map<Integer, Boolean> pinOk, Matcher matcher,
                                OnAccept onAccept) {
        Reservation reservation = attempt.reservation();
        if (reservation.status() == Reservation.Status.NOTHING_TO_CHECK) {
            return Uni.createFrom().item(Outcome.REJECTED);
        }
        if (!reservation.granted()) {
            return Uni.createFrom().item(new Outcome(CheckResult.LOCKED, null, reservation.retryAfterSeconds()));
        }
        boolean withPin = request.pinRequired() || attempt.pin() != null;
        List<Credential> reserved = attempt.reserved();
        return tryEach(reserved, 0, request, attempt, withPin ? pinOk : null, matcher, onAccept)
                .call(outcome -> outcome.result() == CheckResult.ACCEPTED ? Uni.createFrom().voidItem()
                        : throttle.failed(reservation, reserved, request.domain(), request.userId(), request.now()));
    }

    /**
     * Checks the code against each credential reserved, in turn. With a PIN ({@code pinOk} not null)
     * the OTP part is checked whatever the PIN's result, and the code is consumed only if the PIN was
     * right; without one, all that was typed is the code.
     */
    private Uni<Outcome> tryEach(List<Credential> list, int index, Request request, Attempt attempt,
                                 Map<Integer, Boolean> pinOk, Matcher matcher, OnAccept onAccept) {
        if (index >= list.size()) {
            return Uni.createFrom().item(Outcome.REJECTED);
        }
        Credential credential = list.get(index);
        int digits = digits(credential);
        Match match = matcher.match(credential, pinOk == null ? request.typed() : otpPart(request.typed(), digits),
                request.now());
        if (match == null || (pinOk != null && !pinOk.getOrDefault(digits, false))) {
            return tryEach(list, index + 1, request, attempt, pinOk, matcher, onAccept);
        }
        return credentials.advance(credential, request.userId(), match.movingFactor(), match.drift(), request.now())
                .chain(won -> won ? onAccept.apply(attempt).replaceWith(new Outcome(CheckResult.ACCEPTED, credential.serialNumber, null))
                        : tryEach(list, index + 1, request, attempt, pinOk, matcher, onAccept));
    }

    /**
     * After an accepted PIN+OTP, a PIN hashed with other Argon2id parameters than today's is hashed
     * again with today's: raising the parameters reaches every active user at their next login. The
     * code was accepted and committed already, so a failure here is logged, not answered.
     */
    private Uni<Void> upgradePin(Request request, Attempt attempt, Outcome outcome) {
        PinHash pin = attempt.pin();
        if (outcome.result() != CheckResult.ACCEPTED || pin == null || !pins.outdated(pin)) {
            return Uni.createFrom().voidItem();
        }
        int digits = attempt.candidates().stream().filter(c -> c.serialNumber.equals(outcome.serialNumber()))
                .mapToInt(VerificationService::digits).findFirst().orElse(0);
        return pins.hash(pinPart(request.typed(), digits))
                .chain(hash -> Panache.withTransaction(() -> users.replacePin(request.domain(), request.userId(), pin, hash,
                        clock.instant())))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not re-hash the PIN of %s@%s with today's parameters (%s)", request.userId(),
                            request.domain(), e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    /** What happened, for audit and fraud consumers; never the code. */
    private Uni<?> publish(Request request, Outcome outcome, List<Credential> candidates) {
        return outbox.add(event(request, outcome, candidates));
    }

    private static EventDraft event(Request request, Outcome outcome, List<Credential> candidates) {
        String key = EventKey.of(request.userId(), request.domain());
        if (outcome.result() == CheckResult.ACCEPTED) {
            return new EventDraft(OtpVerified.TYPE, key, "user/" + request.userId(), new OtpVerified(
                    request.userId(), request.domain(), outcome.serialNumber(), instanceOf(outcome, candidates), request.now()));
        }
        return new EventDraft(OtpRejected.TYPE, key, "user/" + request.userId(), new OtpRejected(request.userId(),
                request.domain(), reason(outcome), request.now()));
    }

    /** Every resynchronisation's outcome, for audit and fraud consumers; never a code or a PIN. */
    private Uni<?> publishResync(Request request, Outcome outcome, List<Credential> candidates) {
        boolean accepted = outcome.result() == CheckResult.ACCEPTED;
        return outbox.add(new EventDraft(OtpResyncChecked.TYPE, EventKey.of(request.userId(), request.domain()),
                "user/" + request.userId(), new OtpResyncChecked(request.userId(), request.domain(), request.serialNumber(),
                accepted ? instanceOf(outcome, candidates) : null, accepted ? OtpResyncChecked.ACCEPTED : OtpResyncChecked.REJECTED,
                accepted ? null : reason(outcome), request.now())));
    }

    private static String reason(Outcome outcome) {
        return outcome.result() == CheckResult.LOCKED ? "locked" : "no-match";
    }

    private static String instanceOf(Outcome outcome, List<Credential> candidates) {
        return candidates.stream().filter(c -> c.serialNumber.equals(outcome.serialNumber()))
                .map(c -> c.instanceId).filter(Objects::nonNull).findFirst().orElse(null);
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

    /** retryAfter is the soonest a temporary lock ends, as read; absent when only an admin can unlock. */
    private static Long retryAfter(List<Credential> candidates, Instant now) {
        return candidates.stream()
                .filter(c -> c.status != CredentialStatus.LOCKED && c.lockedUntil != null)
                .map(c -> Throttle.secondsUntil(now, c.lockedUntil))
                .min(Long::compare).orElse(null);
    }

    /** When both must open: the later; null (only an admin can unlock the credentials) wins. */
    private static Long later(Long credentialsRetryAfter, Long userRetryAfter) {
        if (credentialsRetryAfter == null || userRetryAfter == null) {
            return credentialsRetryAfter;
        }
        return Math.max(credentialsRetryAfter, userRetryAfter);
    }

    private record Match(long movingFactor, int drift) {
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

    /**
     * Opens the credential's key for one check; null when it is not an OTP credential or the check fails.
     * A key that does not open under its own row's binding (moved from another credential's row, or
     * tampered with) verifies nothing: the code is refused like a wrong one, and the operators are told.
     */
    private Match withVerifier(Credential credential, BiFunction<OtpPolicy, OtpVerifier, Match> check) {
        if (credential.kind == CredentialKind.OCRA || credential.otpPolicy == null) {
            return null;
        }
        OtpPolicy policy = OtpPolicy.parse(credential.otpPolicy);
        Secret key;
        try {
            key = sealer.open(SealedValue.parse(credential.sealedSecret), SealingPurposes.otpKeyOf(credential.id));
        } catch (Aead.AeadException | IllegalArgumentException e) {
            LOG.errorf("Credential %s: its sealed OTP key does not open for this credential (moved from another row,"
                    + " tampered with, or sealed under a key this service no longer has); it verifies no code", credential.id);
            return null;
        }
        try {
            return check.apply(policy, OtpVerifier.of(policy, key));
        } catch (InvalidCodeException e) {
            return null;
        } finally {
            key.destroy();
        }
    }
}
