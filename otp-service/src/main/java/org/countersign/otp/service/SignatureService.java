package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.countersign.events.AtRestSealer;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.SignatureRejected;
import org.countersign.events.payload.SignatureRequested;
import org.countersign.events.payload.SignatureVerified;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialStatus;
import org.countersign.otp.domain.OtpProblem;
import org.countersign.otp.domain.SignatureChallenge;
import org.countersign.otp.domain.SealingPurposes;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.otp.repository.SignatureChallengeRepository;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.InvalidTransactionDataException;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.protocol.SigningMessage;
import org.countersign.protocol.SigningPayload;
import org.countersign.protocol.TransactionData;
import org.countersign.protocol.TransactionField;
import org.countersign.protocol.TransactionSignature;
import org.countersign.web.ProblemException;

/**
 * Offline transaction signing (protocol.md, "Offline transaction signing"). A challenge seals the
 * message and fields under the instance's K_tx into a {@code countersign://sign} URI, and keeps only
 * their dataHash. A response is checked against K_sign once: the first right one, before expiry,
 * approves the challenge in a conditional UPDATE; a wrong one counts against the credential and the
 * user like a wrong OTP ({@link Throttle}: an attempt is reserved before the response is compared)
 * and leaves the challenge open until it expires, so a typo can be corrected. A failed check is an answer, not an error, and never says
 * why; the SignatureRejected event does.
 */
@ApplicationScoped
public class SignatureService {

    /** A new challenge. */
    public record Issued(String challengeId, String signingMessage, Instant expiresAt) {
    }

    public enum Result {
        APPROVED,
        REJECTED,
        LOCKED
    }

    /** The answer to a response; retryAfter only for locked, and absent when only an admin can unlock. */
    public record Checked(Result result, String dataHash, Long retryAfterSeconds) {
    }

    private final CredentialRepository credentials;
    private final SignatureChallengeRepository challenges;
    private final Throttle throttle;
    private final Outbox outbox;
    private final AtRestSealer sealer;
    private final Clock clock;

    public SignatureService(CredentialRepository credentials, SignatureChallengeRepository challenges, Throttle throttle,
                            Outbox outbox, AtRestSealer sealer, Clock clock) {
        this.credentials = credentials;
        this.challenges = challenges;
        this.throttle = throttle;
        this.outbox = outbox;
        this.sealer = sealer;
        this.clock = clock;
    }

    /**
     * Issues a challenge for the user's signing instance: the only one, or the one named.
     *
     * @param fields name and value pairs, in order (already checked for length by the resource)
     */
    public Uni<Issued> issue(String domain, String userId, String serialNumber, String message, List<String[]> fields,
                             Integer ttlSeconds) {
        Instant now = clock.instant();
        Instant expiresAt = now.plusSeconds(ttlSeconds == null ? SigningLimits.DEFAULT_TTL_SECONDS : ttlSeconds)
                .truncatedTo(ChronoUnit.SECONDS);
        SigningPayload payload = payload(message, fields, expiresAt);
        return Panache.withTransaction(() -> credentials.listUsable(domain, userId).chain(list -> {
            Credential credential = choose(list, serialNumber);
            String cid = UUID.randomUUID().toString();
            String uri;
            Secret instanceSecret = sealer.open(SealedValue.parse(credential.sealedInstanceSecret),
                    SealingPurposes.signingInstanceSecretOf(credential.id));
            try {
                uri = SigningMessage.seal(InstanceKeys.of(instanceSecret), credential.instanceId, cid, payload).toUri();
            } finally {
                instanceSecret.destroy();
            }
            SignatureChallenge challenge = new SignatureChallenge();
            challenge.id = cid;
            challenge.domain = domain;
            challenge.userId = userId;
            challenge.credentialId = credential.id;
            challenge.serialNumber = credential.serialNumber;
            challenge.instanceId = credential.instanceId;
            challenge.dataHash = payload.data().dataHash();
            challenge.status = SignatureChallenge.PENDING;
            challenge.createdAt = now;
            challenge.expiresAt = expiresAt;
            return challenges.persist(challenge)
                    .call(() -> outbox.add(new EventDraft(SignatureRequested.TYPE, EventKey.of(userId, domain), "user/" + userId,
                            new SignatureRequested(userId, domain, challenge.serialNumber, challenge.instanceId, cid,
                                    challenge.dataHash, expiresAt, now))))
                    .replaceWith(new Issued(cid, uri, expiresAt));
        }));
    }

    /** The payload as it is sealed; 400 problems for data that breaks a protocol rule or would not fit a colour code. */
    static SigningPayload payload(String message, List<String[]> fields, Instant expiresAt) {
        List<TransactionField> list = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            try {
                list.add(new TransactionField(fields.get(i)[0], fields.get(i)[1]));
            } catch (InvalidTransactionDataException e) {
                throw new ProblemException(OtpProblem.INVALID_TRANSACTION_DATA, "fields[" + i + "]: " + e.getMessage());
            }
        }
        SigningPayload payload;
        try {
            payload = new SigningPayload(new TransactionData(message, list), expiresAt);
        } catch (InvalidTransactionDataException e) {
            throw new ProblemException(OtpProblem.INVALID_TRANSACTION_DATA, e.getMessage());
        }
        int bytes = payload.toJson().length;
        if (bytes > SigningLimits.MAX_PAYLOAD_BYTES) {
            throw new ProblemException(OtpProblem.SIGNING_PAYLOAD_TOO_LARGE, "The message and fields take " + bytes
                    + " bytes as signed (JSON, UTF-8, with escapes); at most " + SigningLimits.MAX_PAYLOAD_BYTES
                    + " fit a scannable colour code");
        }
        return payload;
    }

    /**
     * The only credential that can sign, or the one named. 404 when there is none of the name (or the
     * user has none at all), 409 when the one named, or every one, cannot sign, or several could.
     */
    private static Credential choose(List<Credential> list, String serialNumber) {
        List<Credential> named = serialNumber == null ? list
                : list.stream().filter(c -> c.serialNumber.equals(serialNumber)).toList();
        if (named.isEmpty()) {
            throw new ProblemException(OtpProblem.UNKNOWN_CREDENTIAL, serialNumber == null
                    ? "The user has no credential" : "The user has no credential " + serialNumber);
        }
        List<Credential> signing = named.stream().filter(c -> c.sealedInstanceSecret != null && c.instanceId != null).toList();
        if (signing.isEmpty()) {
            throw new ProblemException(OtpProblem.SIGNING_NOT_SUPPORTED, serialNumber == null
                    ? "None of the user's credentials can sign: imported tokens, and instances activated before signing was "
                    + "available, cannot; activate an authenticator instance again"
                    : "Credential " + serialNumber + " cannot sign: imported tokens, and instances activated before signing "
                    + "was available, cannot; activate an authenticator instance again");
        }
        if (signing.size() > 1) {
            throw new ProblemException(OtpProblem.AMBIGUOUS_CREDENTIAL, "The user has " + signing.size()
                    + " credentials that can sign; name one with serialNumber");
        }
        return signing.get(0);
    }

    /**
     * Checks a response once. An unknown challenge, another domain's, or (when userId is given)
     * another user's, is a 404 problem; anything else is an answer.
     */
    public Uni<Checked> verify(String domain, String challengeId, String userId, String response) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> challenges.findIn(domain, challengeId).chain(challenge -> {
            if (challenge == null || !challenge.answerableBy(userId)) {
                throw new ProblemException(OtpProblem.UNKNOWN_CHALLENGE, "No signing challenge " + challengeId);
            }
            return credentials.findById(challenge.credentialId).chain(credential -> decide(challenge, credential, response, now));
        }));
    }

    /**
     * Used, expired and withdrawn challenges are rejected without a comparison and count nothing; any
     * other response first reserves an attempt (inside this transaction, which then holds the
     * credential's and the user's rows: answers for one user are compared one after the other).
     */
    private Uni<Checked> decide(SignatureChallenge challenge, Credential credential, String response, Instant now) {
        if (!SignatureChallenge.PENDING.equals(challenge.status)) {
            return rejected(challenge, "used", now);
        }
        if (!now.isBefore(challenge.expiresAt)) {
            return rejected(challenge, "expired", now);
        }
        if (credential == null || credential.status == CredentialStatus.REVOKED || credential.status == CredentialStatus.DISABLED
                || credential.sealedInstanceSecret == null) {
            return rejected(challenge, "revoked", now);
        }
        return throttle.reserve(challenge.domain, challenge.userId, List.of(credential.id), now).chain(reservation -> {
            if (!reservation.granted()) {
                return locked(challenge, reservation.retryAfterSeconds(), now);
            }
            if (!matches(credential, challenge, response)) {
                return throttle.failed(reservation, List.of(credential), challenge.domain, challenge.userId, now)
                        .chain(() -> rejected(challenge, "no-match", now));
            }
            return challenges.approve(challenge, now).chain(won -> won
                    ? credentials.touch(credential, challenge.userId, now).chain(() -> outbox.add(new EventDraft(
                                    SignatureVerified.TYPE, EventKey.of(challenge.userId, challenge.domain), "user/" + challenge.userId,
                                    new SignatureVerified(challenge.userId, challenge.domain, challenge.serialNumber,
                                            challenge.instanceId, challenge.id, challenge.dataHash, now))))
                            .replaceWith(new Checked(Result.APPROVED, challenge.dataHash, null))
                    // Another request approved it meanwhile: a right response that lost the race is no guess.
                    : credentials.giveBack(credential, challenge.userId).chain(() -> rejected(challenge, "used", now)));
        });
    }

    /** Whether the response is R for this challenge; compared in constant time by libs/protocol. */
    private boolean matches(Credential credential, SignatureChallenge challenge, String response) {
        Secret instanceSecret = sealer.open(SealedValue.parse(credential.sealedInstanceSecret),
                SealingPurposes.signingInstanceSecretOf(credential.id));
        try {
            TransactionSignature.verify(InstanceKeys.of(instanceSecret), challenge.id, challenge.dataHash, response);
            return true;
        } catch (InvalidCodeException e) {
            return false;
        } finally {
            instanceSecret.destroy();
        }
    }

    private Uni<Checked> rejected(SignatureChallenge challenge, String reason, Instant now) {
        return publishRejected(challenge, reason, now).replaceWith(new Checked(Result.REJECTED, challenge.dataHash, null));
    }

    private Uni<Checked> locked(SignatureChallenge challenge, Long retryAfter, Instant now) {
        return publishRejected(challenge, "locked", now).replaceWith(new Checked(Result.LOCKED, challenge.dataHash, retryAfter));
    }

    private Uni<?> publishRejected(SignatureChallenge challenge, String reason, Instant now) {
        return outbox.add(new EventDraft(SignatureRejected.TYPE, EventKey.of(challenge.userId, challenge.domain),
                "user/" + challenge.userId, new SignatureRejected(challenge.userId, challenge.domain, challenge.serialNumber,
                        challenge.instanceId, challenge.id, challenge.dataHash, reason, now)));
    }
}
