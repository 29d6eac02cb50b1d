package org.countersign.otp.domain;

import org.countersign.web.ProblemKind;

/** The otp-service's business problems; slugs and statuses never change meaning. */
public enum OtpProblem implements ProblemKind {
    UNKNOWN_CREDENTIAL("unknown-credential", 404, "Unknown credential");

    private final String slug;
    private final int status;
    private final String title;

    OtpProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
