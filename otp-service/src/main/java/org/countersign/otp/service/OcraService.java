package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.countersign.events.AtRestSealer;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.OtpRejected;
import org.countersign.events.payload.OtpVerified;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.ChallengeStatus;
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
 * response. Responses are answered as {@link ChallengeResponses} says for every challenge; OCRA's own
 * part: the first right response, before expiry, accepts the challenge in a conditional UPDATE, and for
 * a suite with a counter (C) or a time step (T) the same transaction moves the credential's replay
 * state in a conditional UPDATE too, so a counter is accepted once and a time step never goes back,
 * even under concurrent requests.
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

    private static final ChallengeResponses.Capability OCRA = new ChallengeResponses.Capability(
            c -> c.kind == CredentialKind.OCRA && c.ocraSuite != null, OtpProblem.CHALLENGE_RESPONSE_NOT_SUPPORTED,
            "None of the user's credentials has an OCRA suite", "has no OCRA suite", "OCRA credentials");

    /** A new challenge. */
    public record Issued(String challengeId, String challenge, String suite, String serialNumber, Instant expiresAt) {
    }

    private final CredentialRepository credentials;
    private final OcraChallengeRepository challenges;
    private final ChallengeResponses responses;
    private final Outbox outbox;
    private final AtRestSealer sealer;
    private final OtpConfig config;
    private final Clock clock;
    private final Rules rules = new Rules();

    public OcraService(CredentialRepository credentials, OcraChallengeRepository challenges, ChallengeResponses responses,
                       Outbox outbox, AtRestSealer sealer, OtpConfig config, Clock clock) {
        this.credentials = credentials;
        this.challenges = challenges;
        this.responses = responses;
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
            Credential credential = ChallengeResponses.choose(list, serialNumber, OCRA);
            OcraSuite suite = supported(credential);
            OcraChallenge challenge = new OcraChallenge();
            challenge.id = UUID.randomUUID().toString();
            challenge.domain = domain;
            challenge.userId = userId;
            challenge.credentialId = credential.id;
            challenge.serialNumber = credential.serialNumber;
            challenge.suite = suite.format();
            challenge.challenge = Ocra.challenge(suite);
            challenge.status = ChallengeStatus.PENDING;
            challenge.createdAt = now;
            challenge.expiresAt = expiresAt;
            return challenges.persist(challenge).replaceWith(new Issued(challenge.id, challenge.challenge, challenge.suite,
                    challenge.serialNumber, expiresAt));
        }));
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
    public Uni<ChallengeResponses.Checked> verify(String domain, String challengeId, String userId, String response) {
        return responses.verify(rules, domain, challengeId, userId, response);
    }

    /** OCRA's part of answering a response. */
    private final class Rules implements ChallengeResponses.Rules<OcraChallenge, Long> {

        @Override
        public String noun() {
            return "OCRA challenge";
        }

        /**
         * Locked for the transaction: answers to one challenge are compared one after the other, so a
         * right answer is never read as a guess against a counter a concurrent one has just moved.
         */
        @Override
        public Uni<OcraChallenge> find(String domain, String challengeId) {
            return challenges.lockIn(domain, challengeId);
        }

        /**
         * Used, expired, or the token withdrawn (or re-imported with another suite) meanwhile: reported as
         * no-match, the only other reason OtpRejected has (the response matched nothing the service would accept).
         */
        @Override
        public String unanswerable(OcraChallenge challenge, Credential credential, Instant now) {
            boolean open = challenge.status == ChallengeStatus.PENDING && now.isBefore(challenge.expiresAt) && credential != null
                    && credential.status != CredentialStatus.REVOKED && credential.status != CredentialStatus.DISABLED
                    && challenge.suite.equals(credential.ocraSuite);
            return open ? null : "no-match";
        }

        /**
         * The moving factor the response matched (the counter or time step; -1 for a plain suite), or
         * null when it does not match. Counters are searched from the one after the last accepted,
         * {@code hotp-look-ahead} ahead; time steps around now ({@code totp-before}, {@code totp-after}),
         * never before the last accepted. Every candidate is computed and compared in constant time.
         */
        @Override
        public Long match(OcraChallenge challenge, Credential credential, String response, Instant now) {
            OcraSuite suite = OcraSuite.parse(challenge.suite);
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
         * The challenge is accepted once and the token's counter or time step moves, in this
         * transaction; either statement gives the reserved attempt back. A right response that lost a
         * race (the challenge, or the counter, taken by another request) is no guess: its attempt is
         * given back too, and the challenge stays open.
         */
        @Override
        public Uni<ChallengeResponses.Checked> accept(OcraChallenge challenge, Credential credential, Long matched, Instant now) {
            OcraSuite suite = OcraSuite.parse(challenge.suite);
            Long movingFactor = matched < 0 ? null : matched;
            return challenges.accept(challenge, movingFactor, now).chain(won -> {
                if (!won) {
                    return credentials.giveBack(credential, challenge.userId)
                            .chain(() -> refuse(challenge, CheckResult.REJECTED, "no-match", null, now));
                }
                Uni<Boolean> moved = suite.usesCounter()
                        ? credentials.advance(credential, challenge.userId, movingFactor, credential.drift, now)
                        : suite.usesTime() ? credentials.advanceTimeStep(credential, challenge.userId, movingFactor, now)
                        : credentials.touch(credential, challenge.userId, now).replaceWith(true);
                return moved.chain(ok -> ok
                        ? outbox.add(new EventDraft(OtpVerified.TYPE, EventKey.of(challenge.userId, challenge.domain),
                                        "user/" + challenge.userId,
                                        new OtpVerified(challenge.userId, challenge.domain, challenge.serialNumber, null, now)))
                                .replaceWith(new ChallengeResponses.Checked(CheckResult.ACCEPTED, null, null))
                        // Another challenge took this counter (or a later step) meanwhile: the challenge stays open.
                        : challenges.reopen(challenge).chain(() -> credentials.giveBack(credential, challenge.userId))
                                .chain(() -> refuse(challenge, CheckResult.REJECTED, "no-match", null, now)));
            });
        }

        /** OtpRejected, whose reasons are no-match and locked. */
        @Override
        public Uni<ChallengeResponses.Checked> refuse(OcraChallenge challenge, CheckResult result, String reason,
                                                      Long retryAfterSeconds, Instant now) {
            return outbox.add(new EventDraft(OtpRejected.TYPE, EventKey.of(challenge.userId, challenge.domain),
                            "user/" + challenge.userId, new OtpRejected(challenge.userId, challenge.domain, reason, now)))
                    .replaceWith(new ChallengeResponses.Checked(result, null, retryAfterSeconds));
        }
    }
}
