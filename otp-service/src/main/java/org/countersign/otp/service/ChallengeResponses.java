package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.countersign.otp.domain.Challenge;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.OtpProblem;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.web.ProblemException;

/**
 * What OCRA and signing challenges share: which of the user's credentials a challenge is for, and how
 * a response is answered. A response to an unknown challenge, another domain's or another user's, is
 * a 404. One that cannot be compared (a used, expired or withdrawn challenge) is refused and counts
 * nothing. Any other first reserves an attempt ({@link Throttle}) inside the verifying transaction,
 * which then holds the credential's and the user's rows, and only then is compared: a wrong response
 * counts against the credential and the user like a wrong OTP and leaves the challenge open until it
 * expires; a right one is accepted by the challenge's own rules. A failed check is an answer, not an
 * error, and never says why; the rejection event does.
 */
@ApplicationScoped
public class ChallengeResponses {

    /** What one kind of challenge does its own way. */
    public interface Rules<C extends Challenge, M> {

        /** What the 404 calls it, e.g. "OCRA challenge". */
        String noun();

        /** The challenge, only within the domain, read for the verifying transaction. */
        Uni<C> find(String domain, String challengeId);

        /** Why a response cannot be compared (the rejection's reason), or null when it can. */
        String unanswerable(C challenge, Credential credential, Instant now);

        /** What a response matched, or null when it matches nothing; compared in constant time. */
        M match(C challenge, Credential credential, String response, Instant now);

        /** A right response, its attempt reserved: closes the challenge once, or refuses if it lost a race. */
        Uni<Checked> accept(C challenge, Credential credential, M matched, Instant now);

        /** A refusal, published as this kind's rejection event with the reason. */
        Uni<Checked> refuse(C challenge, CheckResult result, String reason, Long retryAfterSeconds, Instant now);
    }

    /**
     * The answer to a response: retryAfter only when locked, and absent when only an admin can unlock;
     * a signing challenge's dataHash (null for OCRA).
     */
    public record Checked(CheckResult result, String dataHash, Long retryAfterSeconds) {
    }

    /** Which credentials can answer a kind of challenge, and what to say when none or several can. */
    public record Capability(Predicate<Credential> can, OtpProblem missing, String noneCan, String thisOneCannot,
                             String several) {
    }

    private final CredentialRepository credentials;
    private final Throttle throttle;
    private final Clock clock;

    public ChallengeResponses(CredentialRepository credentials, Throttle throttle, Clock clock) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.clock = clock;
    }

    /**
     * The only credential with the capability, or the one named. 404 when there is none of the name
     * (or the user has none at all), 409 when the one named, or every one, lacks it, or several have it.
     */
    public static Credential choose(List<Credential> list, String serialNumber, Capability capability) {
        List<Credential> named = serialNumber == null ? list
                : list.stream().filter(c -> c.serialNumber.equals(serialNumber)).toList();
        if (named.isEmpty()) {
            throw new ProblemException(OtpProblem.UNKNOWN_CREDENTIAL, serialNumber == null
                    ? "The user has no credential" : "The user has no credential " + serialNumber);
        }
        List<Credential> capable = named.stream().filter(capability.can()).toList();
        if (capable.isEmpty()) {
            throw new ProblemException(capability.missing(), serialNumber == null ? capability.noneCan()
                    : "Credential " + serialNumber + " " + capability.thisOneCannot());
        }
        if (capable.size() > 1) {
            throw new ProblemException(OtpProblem.AMBIGUOUS_CREDENTIAL, "The user has " + capable.size() + " "
                    + capability.several() + "; name one with serialNumber");
        }
        return capable.get(0);
    }

    /** Checks a response once; {@code userId}, when given, must be the challenge's. */
    public <C extends Challenge, M> Uni<Checked> verify(Rules<C, M> rules, String domain, String challengeId, String userId,
                                                       String response) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> rules.find(domain, challengeId).chain(challenge -> {
            if (challenge == null || !challenge.answerableBy(userId)) {
                throw new ProblemException(OtpProblem.UNKNOWN_CHALLENGE, "No " + rules.noun() + " " + challengeId);
            }
            return credentials.findById(challenge.credentialId)
                    .chain(credential -> answer(rules, challenge, credential, response, now));
        }));
    }

    private <C extends Challenge, M> Uni<Checked> answer(Rules<C, M> rules, C challenge, Credential credential, String response,
                                                         Instant now) {
        String unanswerable = rules.unanswerable(challenge, credential, now);
        if (unanswerable != null) {
            return rules.refuse(challenge, CheckResult.REJECTED, unanswerable, null, now);
        }
        return throttle.reserve(challenge.domain, challenge.userId, List.of(credential.id), now).chain(reservation -> {
            if (!reservation.granted()) {
                return rules.refuse(challenge, CheckResult.LOCKED, "locked", reservation.retryAfterSeconds(), now);
            }
            M matched = rules.match(challenge, credential, response, now);
            if (matched == null) {
                return throttle.failed(reservation, List.of(credential), challenge.domain, challenge.userId, now)
                        .chain(() -> rules.refuse(challenge, CheckResult.REJECTED, "no-match", null, now));
            }
            return rules.accept(challenge, credential, matched, now);
        });
    }
}
