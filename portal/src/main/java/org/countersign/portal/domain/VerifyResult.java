package org.countersign.portal.domain;

/** The otp-service's answer to a sign-in: accepted, rejected (never says why), or locked. */
public record VerifyResult(String result, Long retryAfter) {

    public boolean accepted() {
        return "accepted".equals(result);
    }

    public boolean locked() {
        return "locked".equals(result);
    }
}
