package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.countersign.otp.repository.UserRepository;

/**
 * Setting, changing and removing a user's server PIN. The PIN is checked against the policy before
 * anything else, hashed with Argon2id outside any database session, and never logged, published or
 * cached: only its hash is stored.
 */
@ApplicationScoped
public class PinService {

    /** changed, rejected (wrong old PIN or OTP, or no PIN at all: not told apart), or locked (too many failures). */
    public enum Result {
        CHANGED,
        REJECTED,
        LOCKED
    }

    public record ChangeOutcome(Result result, Long retryAfterSeconds) {
    }

    private final UserRepository users;
    private final PinHasher hasher;
    private final PinPolicy policy;
    private final VerificationService verification;
    private final Clock clock;

    public PinService(UserRepository users, PinHasher hasher, PinPolicy policy, VerificationService verification, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.verification = verification;
        this.clock = clock;
    }

    /** An admin sets or resets the PIN; the user need not know the old one. */
    public Uni<Void> set(String domain, String userId, String pin) {
        policy.check(pin);
        return hasher.hash(pin).chain(hash -> Panache.withTransaction(() -> users.setPin(domain, userId, hash, clock.instant())));
    }

    /** An admin removes the PIN: the user then types the OTP alone. Removing no PIN is not an error. */
    public Uni<Void> remove(String domain, String userId) {
        return Panache.withTransaction(() -> users.removePin(domain, userId));
    }

    /**
     * The user changes the PIN with the old one and an OTP of one of the user's credentials (the OTP
     * is consumed, like a login's). Failures count against the credentials and the user exactly as a
     * login's do, so the old PIN cannot be guessed here any faster than at a login, and never without
     * the token. A user with no PIN gets the answer of a wrong old PIN, after the same work. The new PIN
     * is checked against the policy first: that answer depends on the new PIN alone.
     */
    public Uni<ChangeOutcome> change(String domain, String userId, String oldPin, String otp, String serialNumber,
                                     String newPin) {
        policy.check(newPin);
        return verification.changePin(domain, userId, oldPin, otp, serialNumber, newPin).map(outcome -> switch (outcome.result()) {
            case ACCEPTED -> new ChangeOutcome(Result.CHANGED, null);
            case REJECTED -> new ChangeOutcome(Result.REJECTED, null);
            case LOCKED -> new ChangeOutcome(Result.LOCKED, outcome.retryAfterSeconds());
        });
    }
}
