package org.countersign.otp.domain;

import org.countersign.web.ProblemKind;

/** The otp-service's business problems; slugs and statuses never change meaning. */
public enum OtpProblem implements ProblemKind {
    UNKNOWN_CREDENTIAL("unknown-credential", 404, "Unknown credential"),
    /** The PIN policy's rules, one type each, so a client can tell the user which one; never the PIN. */
    PIN_TOO_SHORT("pin-too-short", 400, "PIN too short"),
    PIN_TOO_LONG("pin-too-long", 400, "PIN too long"),
    PIN_NOT_DIGITS("pin-not-digits", 400, "PIN must be digits only"),
    PIN_CHARACTERS("pin-characters", 400, "PIN holds a character that is not allowed");

    private final Spec spec;

    OtpProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
