package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.countersign.otp.domain.PinHash;
import org.countersign.otp.repository.UserRepository;

/**
 * Setting, changing and removing a user's server PIN. The PIN is checked against the policy before
 * anything else, hashed with Argon2id outside any database session, and never logged, published or
 * cached: only its hash is stored.
 */
@ApplicationScoped
public class PinService {

    /** changed, rejected (wrong old PIN, or no PIN at all: not told apart), or locked (too many failures). */
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
    private final UserThrottle throttle;
    private final Clock clock;

    public PinService(UserRepository users, PinHasher hasher, PinPolicy policy, UserThrottle throttle, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.throttle = throttle;
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
     * The user changes the PIN with the old one. A wrong old PIN is a failed check of the user and
     * is answered as a rejection; a user with no PIN gets the same answer after the same work.
     * The new PIN is checked against the policy first: that answer depends on the new PIN alone.
     */
    public Uni<ChangeOutcome> change(String domain, String userId, String oldPin, String newPin) {
        policy.check(newPin);
        Instant now = clock.instant();
        return Panache.withSession(() -> users.find(domain, userId)).chain(user -> {
            Long retryAfter = UserThrottle.retryAfter(user, now);
            if (retryAfter != null) {
                return Uni.createFrom().item(new ChangeOutcome(Result.LOCKED, retryAfter));
            }
            PinHash old = user == null ? null : user.pin();
            return hasher.matches(old, oldPin).chain(right -> right
                    ? hasher.hash(newPin).chain(hash -> Panache.withTransaction(() ->
                            users.replacePin(domain, userId, old, hash, clock.instant())))
                            // Replaced by someone else meanwhile (an admin's reset): the old PIN is no longer right.
                            .map(replaced -> new ChangeOutcome(replaced ? Result.CHANGED : Result.REJECTED, null))
                    : Panache.withTransaction(() -> throttle.failed(domain, userId))
                            .replaceWith(new ChangeOutcome(Result.REJECTED, null)));
        });
    }
}
