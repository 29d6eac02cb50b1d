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
import org.countersign.otp.domain.ChallengeStatus;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialStatus;
import org.countersign.otp.domain.OtpProblem;
import org.countersign.otp.domain.SealingPurposes;
import org.countersign.otp.domain.SignatureChallenge;
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
 * their dataHash. Responses are answered as {@link ChallengeResponses} says for every challenge; the
 * signing part: a response is checked against K_sign, and the first right one, before expiry,
 * approves the challenge in a conditional UPDATE. A wrong one leaves it open, so a typo can be
 * corrected; the SignatureRejected event says why a response was refused.
 */
@ApplicationScoped
public class SignatureService {

    private static final ChallengeResponses.Capability SIGNING = new ChallengeResponses.Capability(
            c -> c.sealedInstanceSecret != null && c.instanceId != null, OtpProblem.SIGNING_NOT_SUPPORTED,
            "None of the user's credentials can sign: imported tokens, and instances activated before signing was "
                    + "available, cannot; activate an authenticator instance again",
            "cannot sign: imported tokens, and instances activated before signing was available, cannot; activate an "
                    + "authenticator instance again",
            "credentials that can sign");

    /** A new challenge. */
    public record Issued(String challengeId, String signingMessage, Instant expiresAt) {
    }

    private final CredentialRepository credentials;
    private final SignatureChallengeRepository challenges;
    private final ChallengeResponses responses;
    private final Outbox outbox;
    private final AtRestSealer sealer;
    private final Clock clock;
    private final Rules rules = new Rules();

    public SignatureService(CredentialRepository credentials, SignatureChallengeRepository challenges,
                            ChallengeResponses responses, Outbox outbox, AtRestSealer sealer, Clock clock) {
        this.credentials = credentials;
        this.challenges = challenges;
        this.responses = responses;
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
            Credential credential = ChallengeResponses.choose(list, serialNumber, SIGNING);
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
            challenge.status = ChallengeStatus.PENDING;
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
     * Checks a response once. An unknown challenge, another domain's, or (when userId is given)
     * another user's, is a 404 problem; anything else is an answer.
     */
    public Uni<ChallengeResponses.Checked> verify(String domain, String challengeId, String userId, String response) {
        return responses.verify(rules, domain, challengeId, userId, response);
    }

    /** Signing's part of answering a response. */
    private final class Rules implements ChallengeResponses.Rules<SignatureChallenge, Boolean> {

        @Override
        public String noun() {
            return "signing challenge";
        }

        /** Not locked: the approving UPDATE decides between concurrent right responses. */
        @Override
        public Uni<SignatureChallenge> find(String domain, String challengeId) {
            return challenges.findIn(domain, challengeId);
        }

        @Override
        public String unanswerable(SignatureChallenge challenge, Credential credential, Instant now) {
            if (challenge.status != ChallengeStatus.PENDING) {
                return "used";
            }
            if (!now.isBefore(challenge.expiresAt)) {
                return "expired";
            }
            boolean withdrawn = credential == null || credential.status == CredentialStatus.REVOKED
                    || credential.status == CredentialStatus.DISABLED || credential.sealedInstanceSecret == null;
            return withdrawn ? "revoked" : null;
        }

        /** TRUE when the response is R for this challenge (compared in constant time by libs/protocol), else null. */
        @Override
        public Boolean match(SignatureChallenge challenge, Credential credential, String response, Instant now) {
            Secret instanceSecret = sealer.open(SealedValue.parse(credential.sealedInstanceSecret),
                    SealingPurposes.signingInstanceSecretOf(credential.id));
            try {
                TransactionSignature.verify(InstanceKeys.of(instanceSecret), challenge.id, challenge.dataHash, response);
                return Boolean.TRUE;
            } catch (InvalidCodeException e) {
                return null;
            } finally {
                instanceSecret.destroy();
            }
        }

        /** Another request that approved it meanwhile wins: a right response that lost the race is no guess. */
        @Override
        public Uni<ChallengeResponses.Checked> accept(SignatureChallenge challenge, Credential credential, Boolean matched,
                                                      Instant now) {
            return challenges.approve(challenge, now).chain(won -> won
                    ? credentials.touch(credential, challenge.userId, now).chain(() -> outbox.add(new EventDraft(
                                    SignatureVerified.TYPE, EventKey.of(challenge.userId, challenge.domain), "user/" + challenge.userId,
                                    new SignatureVerified(challenge.userId, challenge.domain, challenge.serialNumber,
                                            challenge.instanceId, challenge.id, challenge.dataHash, now))))
                            .replaceWith(new ChallengeResponses.Checked(CheckResult.ACCEPTED, challenge.dataHash, null))
                    : credentials.giveBack(credential, challenge.userId)
                            .chain(() -> refuse(challenge, CheckResult.REJECTED, "used", null, now)));
        }

        /** SignatureRejected, with its reason (used, expired, revoked, no-match, locked). */
        @Override
        public Uni<ChallengeResponses.Checked> refuse(SignatureChallenge challenge, CheckResult result, String reason,
                                                      Long retryAfterSeconds, Instant now) {
            return outbox.add(new EventDraft(SignatureRejected.TYPE, EventKey.of(challenge.userId, challenge.domain),
                            "user/" + challenge.userId, new SignatureRejected(challenge.userId, challenge.domain,
                                    challenge.serialNumber, challenge.instanceId, challenge.id, challenge.dataHash, reason, now)))
                    .replaceWith(new ChallengeResponses.Checked(result, challenge.dataHash, retryAfterSeconds));
        }
    }
}
