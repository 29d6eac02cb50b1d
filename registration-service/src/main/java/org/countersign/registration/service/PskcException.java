package org.countersign.registration.service;

import org.countersign.registration.domain.RegistrationProblem;
import org.countersign.web.ProblemException;

/**
 * A PSKC document that is refused as a whole. The message goes to the client as the problem detail,
 * so it never carries key material, parser output or document text; at most a serial number that
 * has already passed the serial-number pattern, or a key package's position.
 */
public final class PskcException extends ProblemException {

    /** Stable reason codes: clients and tests rely on them, so a code never changes meaning. */
    public enum Reason {
        MALFORMED("malformed"),
        DTD_FORBIDDEN("dtd-forbidden"),
        UNSUPPORTED_FORMAT("unsupported-format"),
        UNSUPPORTED_ALGORITHM("unsupported-algorithm"),
        MISSING_PASSWORD("missing-password"),
        MISSING_PRE_SHARED_KEY("missing-pre-shared-key"),
        MISSING_MAC("missing-mac"),
        MISSING_SECRET("missing-secret"),
        WRONG_PASSWORD_OR_MAC("wrong-password-or-mac"),
        TOO_LARGE("too-large"),
        NO_KEYS("no-keys"),
        DUPLICATE_SERIAL("duplicate-serial");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    PskcException(Reason reason, String message) {
        super(RegistrationProblem.INVALID_PSKC, message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * One answer for a wrong password, a wrong pre-shared key, a wrong MAC and bad padding, so that a
     * caller cannot tell which check failed (and cannot use us as a padding oracle).
     */
    static PskcException wrongPasswordOrMac() {
        return new PskcException(Reason.WRONG_PASSWORD_OR_MAC,
                "The keys could not be decrypted and authenticated: wrong password or key, or the document was altered");
    }
}
