package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
import org.countersign.otp.events.CredentialsConsumer;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.OtpVerifier;
import org.countersign.protocol.OtpWindow;
import org.countersign.protocol.SealedValue;
import org.countersign.protocol.Secret;

/**
 * Checks an OTP against the user's credentials. Acceptance is decided by the database: the replay
 * state moves forward in a conditional UPDATE, so a step or counter is accepted once, even when
 * two requests with the same code arrive together. A failed check is an answer, not an error, and
 * never says why. Guessing is throttled per credential (see {@link Throttle}).
 */
@ApplicationScoped
public class VerificationService {

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
    private final Throttle throttle;
    private final Outbox outbox;
    private final AtRestSealer sealer;
    private final OtpConfig config;
    private final Clock clock;

    public VerificationService(CredentialRepository credentials, Throttle throttle, Outbox outbox, AtRestSealer sealer,
                               OtpConfig config, Clock clock) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.outbox = outbox;
        this.sealer = sealer;
        this.config = config;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<Outcome> verify(String domain, String userId, String code, String serialNumber) {
        Instant now = clock.instant();
        return credentials.listUsable(domain, userId).chain(list -> {
            List<Credential> candidates = candidates(list, serialNumber);
            List<Credential> open = candidates.stream().filter(c -> !locked(c, now)).toList();
            Uni<Outcome> outcome = open.isEmpty() && !candidates.isEmpty()
                    ? Uni.createFrom().item(lockedOutcome(candidates, now))
                    : tryEach(open, 0, code, now).call(result -> result.result() == Result.ACCEPTED
                            ? Uni.createFrom().voidItem() : countFailures(open, userId));
            return outcome.call(result -> publish(domain, userId, result, candidates, now));
        });
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

    private Uni<Outcome> tryEach(List<Credential> list, int index, String code, Instant now) {
        if (index >= list.size()) {
            return Uni.createFrom().item(Outcome.REJECTED);
        }
        Credential credential = list.get(index);
        Match match = match(credential, code, now);
        if (match == null) {
            return tryEach(list, index + 1, code, now);
        }
        return credentials.advance(credential.id, match.movingFactor(), match.drift(), now)
                .chain(won -> won ? throttle.succeeded(credential.id)
                        .replaceWith(new Outcome(Result.ACCEPTED, credential.serialNumber, null))
                        : tryEach(list, index + 1, code, now));
    }

    /** A miss counts against every credential it was checked against: guessing any of them is guessing. */
    private Uni<Void> countFailures(List<Credential> checked, String userId) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Credential credential : checked) {
            chain = chain.chain(() -> throttle.failed(credential, userId));
        }
        return chain;
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
        return credentials.listUsable(domain, userId).chain(list -> {
            List<Credential> candidates = candidates(list, serialNumber);
            List<Credential> open = candidates.stream().filter(c -> !locked(c, now)).toList();
            if (open.isEmpty()) {
                return Uni.createFrom().item(candidates.isEmpty() ? Outcome.REJECTED : lockedOutcome(candidates, now));
            }
            Credential credential = open.get(0);
            Match match = matchConsecutive(credential, first, second, now);
            if (match == null) {
                return countFailures(open, userId).replaceWith(Outcome.REJECTED);
            }
            return credentials.advance(credential.id, match.movingFactor(), match.drift(), now)
                    .chain(won -> won ? throttle.succeeded(credential.id)
                            .replaceWith(new Outcome(Result.ACCEPTED, credential.serialNumber, null))
                            : Uni.createFrom().item(Outcome.REJECTED));
        });
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
