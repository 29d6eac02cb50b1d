package org.countersign.portal.service;

/**
 * How a sign-in ended: {@code SIGNED_IN} (with the new session), {@code REJECTED} (the otp-service never says
 * which part was wrong, and neither does the page), {@code MALFORMED} (nothing was checked) or {@code LOCKED}.
 */
public record SignInOutcome(Result result, CurrentSession session, Long retryAfterSeconds) {

    public enum Result { SIGNED_IN, REJECTED, MALFORMED, LOCKED }

    static SignInOutcome of(Result result) {
        return new SignInOutcome(result, null, null);
    }
}
