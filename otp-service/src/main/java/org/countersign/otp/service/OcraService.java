package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
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
import org.countersign.otp.domain.OcraChallenge;
import org.countersign.otp.domain.OtpProblem;
import org.countersign.otp.domain.SealingPurposes;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.otp.repository.OcraChallengeRepository;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.Ocra;
import org.countersign.protocol.OcraInput;
import org.countersign.protocol.OcraSuite;
import org.countersign.protocol.OtpWindow;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.web.ProblemException;

/**
 * OCRA challenge-response (RFC 6287) for imported tokens whose PSKC names an OCRA suite. A challenge
 * draws the question Q in the suite's format and keeps it with the suite and the credential, never a
 * response. A response is checked against the token's key once: the first right one, before expiry,
 * accepts the challenge in a conditional UPDATE; for a suite with a counter (C) or a time step (T),
 * the same transaction moves the credential's replay state in a conditional UPDATE too, so a counter
 * is accepted once and a time step never goes back, even under concurrent requests. A wrong response
 * counts against the credential and the user like a wrong OTP ({@link Throttle}: an attempt is reserved before the response is compared)
 * and leaves the challenge open until it expires. A failed check is an answer, not an error, and never
 * says why.
 *
 * <p>Suites with a PIN hash (P) or session information (S), whose inputs the service does not have,
 * and suites with both a counter and a time step, are refused when a challenge is asked for
 * ({@code ocra-suite-not-supported}). So is mutual challenge-response: the service asks one question.
 */
@ApplicationScoped
public class OcraService {

    public static final int MIN_TTL_SECONDS = 30;
    public static final int DEFAULT_TTL_SECONDS = 300;
    public static final int MAX_TTL_SECONDS = 3600;

    /** A new challenge. */
    public record Issued(String challengeId, String challenge, String suite, String serialNumber, Instant expiresAt) {
    }

    public enum Result {
        ACCEPTED,
        REJECTED,
        LOCKED
    }

    /** The answer to a response; retryAfter only for locked, and absent when only an admin can unlock. */
    public record Checked(Result result, Long retryAfterSeconds) {
    }

    private final CredentialRepository credentials;
    private final OcraChallengeRepository challenges;
    private final Throttle throttle;
    private final Outbox outbox;
    private final AtRestSealer sealer;
    private final OtpConfig config;
    private final Clock clock;

    public OcraService(CredentialRepository credentials, OcraChallengeRepository challenges, Throttle throttle, Outbox outbox,
                       AtRestSealer sealer, OtpConfig config, Clock clock) {
        this.credentials = credentials;
        this.challenges = challenges;
        this.throttle = throttle;
        this.outbox = outbox;
        this.sealer = sealer;
        this.config = config;
        this.clock = clock;
    }

    /** Issues a challenge for the user's OCRA token: the only one, or the one named. */
    public Uni<Issued> issue(String domain, String userId, String serialNumber, Integer ttlSeconds) {
        Instant now = clock.instant();
        Instant expiresAt = now.plusSeconds(ttlSeconds == null ? DEFAULT_TTL_SECONDS : ttlSeconds)
                .truncatedTo(ChronoUnit.SECONDS);
        return Panache.withTransaction(() -> credentials.listUsable(domain, userId).chain(list -> {
            Credential credential = choose(list, serialNumber);
            OcraSuite suite = supported(credential);
            OcraChallenge challenge = new OcraChallenge();
            challenge.id = UUID.randomUUID().toString();
            challenge.domain = domain;
            challenge.userId = userId;
            challenge.credentialId = credential.id;
            challenge.serialNumber = credential.serialNumber;
            challenge.suite = suite.format();
            challenge.challenge = Ocra.challenge(suite);
            challenge.status = OcraChallenge.PENDING;
            challenge.createdAt = now;
            challenge.expiresAt = expiresAt;
            return challenges.persist(challenge).replaceWith(new Issued(challenge.id, challenge.challenge, challenge.suite,
                    challenge.serialNumber, expiresAt));
        }));
    }

    /**
     * The only OCRA credential, or the one named. 404 when there is none of the name (or the user has
     * none at all), 409 when the one named, or every one, has no OCRA suite, or several have one.
     */
    private static Credential choose(List<Credential> list, String serialNumber) {
        List<Credential> named = serialNumber == null ? list
                : list.stream().filter(c -> c.serialNumber.equals(serialNumber)).toList();
        if (named.isEmpty()) {
            throw new ProblemException(OtpProblem.UNKNOWN_CREDENTIAL, serialNumber == null
                    ? "The user has no credential" : "The user has no credential " + serialNumber);
        }
        List<Credential> ocra = named.stream().filter(c -> c.kind == CredentialKind.OCRA && c.ocraSuite != null).toList();
        if (ocra.isEmpty()) {
            throw new ProblemException(OtpProblem.CHALLENGE_RESPONSE_NOT_SUPPORTED, serialNumber == null
                    ? "None of the user's credentials has an OCRA suite" : "Credential " + serialNumber + " has no OCRA suite");
        }
        if (ocra.size() > 1) {
            throw new ProblemException(OtpProblem.AMBIGUOUS_CREDENTIAL, "The user has " + ocra.size()
                    + " OCRA credentials; name one with serialNumber");
        }
        return ocra.get(0);
    }

    /** The credential's suite, if this service can check its responses; 409 otherwise. */
    private static OcraSuite supported(Credential credential) {
        OcraSuite suite;
        try {
            suite = OcraSuite.parse(credential.ocraSuite);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(OtpProblem.OCRA_SUITE_NOT_SUPPORTED, "The OCRA suite of credential "
                    + credential.serialNumber + " is not one this service supports: " + e.getMessage());
        }
        String missing = suite.usesPin() ? "a PIN hash (P)" : suite.usesSession() ? "session information (S)"
                : suite.usesCounter() && suite.usesTime() ? "both a counter (C) and a time step (T)" : null;
        if (missing != null) {
            throw new ProblemException(OtpProblem.OCRA_SUITE_NOT_SUPPORTED, "The OCRA suite " + suite
                    + " of credential " + credential.serialNumber + " needs " + missing + ", which this service does not support");
        }
        return suite;
    }

    /**
     * Checks a response once. An unknown challenge, another domain's, or (when userId is given)
     * another user's, is a 404 problem; anything else is an answer.
     */
    public Uni<Checked> verify(String domain, String challengeId, String userId, String response) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> challenges.lockIn(domain, challengeId).chain(challenge -> {
            if (challenge == null || !challenge.answerableBy(userId)) {
                throw new ProblemException(OtpProblem.UNKNOWN_CHALLENGE, "No OCRA challenge " + challengeId);
            }
            return credentials.findById(challenge.credentialId).chain(credential -> decide(challenge, credential, response, now));
        }));
    }

    /**
     * Used, expired and withdrawn challenges are rejected without a comparison and count nothing; any
     * other response first reserves an attempt (inside this transaction, which then holds the
     * credential's and the user's rows until it ends).
     */
    private Uni<Checked> decide(OcraChallenge challenge, Credential credential, String response, Instant now) {
        if (!OcraChallenge.PENDING.equals(challenge.status) || !now.isBefore(challenge.expiresAt) || credential == null
                || credential.status == CredentialStatus.REVOKED || credential.status == CredentialStatus.DISABLED
                || !challenge.suite.equals(credential.ocraSuite)) {
            // Used, expired, or the token was withdrawn (or re-imported with another suite) meanwhile.
            return rejected(challenge, now);
        }
        return throttle.reserve(challenge.domain, challenge.userId, List.of(credential.id), now).chain(reservation -> {
            if (!reservation.granted()) {
                return locked(challenge, reservation.retryAfterSeconds(), now);
            }
            OcraSuite suite = OcraSuite.parse(challenge.suite);
            Long matched = match(suite, credential, challenge, response, now);
            if (matched == null) {
                return throttle.failed(reservation, List.of(credential), challenge.domain, challenge.userId, now)
                        .chain(() -> rejected(challenge, now));
            }
            return accept(challenge, credential, suite, matched < 0 ? null : matched, now);
        });
    }

    /**
     * A right response: the challenge is accepted once and the token's counter or time step moves, in
     * this transaction; either statement gives the reserved attempt back. A right response that lost a
     * race (the challenge, or the counter, taken by another request) is no guess: its attempt is given
     * back too, and the challenge stays open.
     */
    private Uni<Checked> accept(OcraChallenge challenge, Credential credential, OcraSuite suite, Long movingFactor, Instant now) {
        return challenges.accept(challenge, movingFactor, now).chain(won -> {
            if (!won) {
                return credentials.giveBack(credential, challenge.userId).chain(() -> rejected(challenge, now));
            }
            Uni<Boolean> moved = suite.usesCounter()
                    ? credentials.advance(credential, challenge.userId, movingFactor, credential.drift, now)
                    : suite.usesTime() ? credentials.advanceTimeStep(credential, challenge.userId, movingFactor, now)
                    : credentials.touch(credential, challenge.userId, now).replaceWith(true);
            return moved.chain(ok -> ok
                    ? outbox.add(new EventDraft(OtpVerified.TYPE, EventKey.of(challenge.userId, challenge.domain),
                                    "user/" + challenge.userId,
                                    new OtpVerified(challenge.userId, challenge.domain, challenge.serialNumber, null, now)))
                            .replaceWith(new Checked(Result.ACCEPTED, null))
                    // Another challenge took this counter (or a later step) meanwhile: the challenge stays open.
                    : challenges.reopen(challenge).chain(() -> credentials.giveBack(credential, challenge.userId))
                            .chain(() -> rejected(challenge, now)));
        });
    }

    /**
     * The moving factor the response matched (the counter or time step; -1 for a plain suite), or
     * null when it does not match. Counters are searched from the one after the last accepted,
     * {@code hotp-look-ahead} ahead; time steps around now ({@code totp-before}, {@code totp-after}),
     * never before the last accepted. Every candidate is computed and compared in constant time.
     */
    private Long match(OcraSuite suite, Credential credential, OcraChallenge challenge, String response, Instant now) {
        Secret key = sealer.open(SealedValue.parse(credential.sealedSecret), SealingPurposes.otpKeyOf(credential.id));
        try {
            OcraInput.Builder input = OcraInput.builder().question(challenge.challenge);
            if (suite.usesCounter()) {
                OtpWindow window = OtpWindow.lookAhead(credential.lastAccepted + 1, config.window().hotpLookAhead());
                return Ocra.verify(suite, key, input.counter(window.first()).build(), response, window);
            }
            if (suite.usesTime()) {
                long current = suite.timeStep(now.getEpochSecond());
                OtpWindow window = OtpWindow.around(current, config.window().totpBefore(), config.window().totpAfter())
                        .after(credential.lastAccepted - 1);
                if (window.isEmpty()) {
                    return null;
                }
                return Ocra.verify(suite, key, input.timeStep(window.first()).build(), response, window);
            }
            Ocra.verify(suite, key, input.build(), response);
            return -1L;
        } catch (InvalidCodeException e) {
            return null;
        } finally {
            key.destroy();
        }
    }

    /**
     * OtpRejected, whose reasons are no-match and locked: a used, expired or withdrawn challenge is
     * reported as no-match (the event schema has no other reason; the response matched nothing the
     * service would accept).
     */
    private Uni<Checked> rejected(OcraChallenge challenge, Instant now) {
        return publishRejected(challenge, "no-match", now).replaceWith(new Checked(Result.REJECTED, null));
    }

    private Uni<Checked> locked(OcraChallenge challenge, Long retryAfter, Instant now) {
        return publishRejected(challenge, "locked", now).replaceWith(new Checked(Result.LOCKED, retryAfter));
    }

    private Uni<?> publishRejected(OcraChallenge challenge, String reason, Instant now) {
        return outbox.add(new EventDraft(OtpRejected.TYPE, EventKey.of(challenge.userId, challenge.domain),
                "user/" + challenge.userId, new OtpRejected(challenge.userId, challenge.domain, reason, now)));
    }
}
