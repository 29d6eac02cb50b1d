package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.countersign.events.AtRestSealer;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialKind;
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
 * never says why.
 */
@ApplicationScoped
public class VerificationService {

    /** The outcome: accepted with the credential's serial number, or rejected. */
    public record Outcome(boolean accepted, String serialNumber) {
        static final Outcome REJECTED = new Outcome(false, null);
    }

    private final CredentialRepository credentials;
    private final AtRestSealer sealer;
    private final OtpConfig config;
    private final Clock clock;

    public VerificationService(CredentialRepository credentials, AtRestSealer sealer, OtpConfig config, Clock clock) {
        this.credentials = credentials;
        this.sealer = sealer;
        this.config = config;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<Outcome> verify(String domain, String userId, String code, String serialNumber) {
        Instant now = clock.instant();
        return credentials.listUsable(domain, userId).chain(list -> tryEach(candidates(list, serialNumber), 0, code, now));
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
                .chain(won -> won ? Uni.createFrom().item(new Outcome(true, credential.serialNumber))
                        : tryEach(list, index + 1, code, now));
    }

    private record Match(long movingFactor, int drift) {
    }

    private Match match(Credential credential, String code, Instant now) {
        if (credential.kind == CredentialKind.OCRA || credential.otpPolicy == null) {
            return null;
        }
        OtpPolicy policy = OtpPolicy.parse(credential.otpPolicy);
        Secret key = sealer.open(SealedValue.parse(credential.sealedSecret), CredentialsConsumer.OTP_KEY);
        try {
            OtpVerifier verifier = OtpVerifier.of(policy, key);
            if (policy.kind() == OtpPolicy.Kind.TOTP) {
                long current = policy.timeStep(now.getEpochSecond());
                OtpWindow window = OtpWindow.around(current + credential.drift, config.window().totpBefore(),
                        config.window().totpAfter()).after(credential.lastAccepted);
                long step = verifier.verify(code, window);
                return new Match(step, (int) (step - current));
            }
            OtpWindow window = OtpWindow.lookAhead(credential.lastAccepted + 1, config.window().hotpLookAhead());
            return new Match(verifier.verify(code, window), credential.drift);
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
