package org.countersign.otp.domain;

import org.countersign.web.ProblemKind;

/** The otp-service's business problems; slugs and statuses never change meaning. */
public enum OtpProblem implements ProblemKind {
    UNKNOWN_CREDENTIAL("unknown-credential", 404, "Unknown credential");

    private final Spec spec;

    OtpProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
