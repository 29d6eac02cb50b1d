package org.countersign.otp.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.OtpProblem;
import org.countersign.web.ProblemException;

/**
 * The rules a new PIN must follow ({@code countersign.otp.pin.*}). A violation names its rule in a
 * problem type of its own and states the limit; it never quotes the PIN.
 */
@ApplicationScoped
public class PinPolicy {

    private final OtpConfig.Pin config;

    public PinPolicy(OtpConfig config) {
        this.config = config.pin();
    }

    /** Throws a 400 problem naming the first rule the PIN breaks. */
    public void check(String pin) {
        if (config.digitsOnly() && !pin.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProblemException(OtpProblem.PIN_NOT_DIGITS, "The PIN must consist of the digits 0-9 only");
        }
        if (!config.digitsOnly() && !pin.chars().allMatch(c -> c > ' ' && c <= '~')) {
            throw new ProblemException(OtpProblem.PIN_CHARACTERS,
                    "The PIN may hold printable ASCII characters only, without spaces");
        }
        // Only ASCII gets this far, so characters and UTF-16 units are the same count.
        int length = pin.length();
        if (length < config.minLength()) {
            throw new ProblemException(OtpProblem.PIN_TOO_SHORT, "The PIN must have at least " + config.minLength() + " characters");
        }
        if (length > config.maxLength()) {
            throw new ProblemException(OtpProblem.PIN_TOO_LONG, "The PIN must have at most " + config.maxLength() + " characters");
        }
    }
}
