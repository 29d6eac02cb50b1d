package org.countersign.otp.domain;

import org.countersign.web.ProblemKind;

/** The problems of offline authentication data; slugs and statuses never change meaning. */
public enum OfflineDataProblem implements ProblemKind {
    /** The domain's policy does not allow offline data. */
    DISABLED("offline-data-disabled", 403, "Offline authentication is disabled for the domain"),
    /** The PIN+OTP did not check out; never says which part, nor whether the user has a PIN. */
    CREDENTIAL_REJECTED("credential-rejected", 403, "The credential was rejected"),
    /** Too many failed checks: Retry-After when the lock is temporary. */
    CREDENTIAL_LOCKED("credential-locked", 429, "Too many failed checks"),
    /** The check was right, but the user has no server PIN, without which offline data protects nothing. */
    PIN_REQUIRED("offline-data-needs-pin", 409, "Offline data needs a server PIN"),
    /** The PIN is shorter than the 6 characters protocol.md asks of users with offline data. */
    PIN_TOO_SHORT("offline-data-pin-too-short", 409, "The PIN is too short for offline data"),
    /** The user's credentials (or the one named) are HOTP or OCRA: only TOTP steps can be tagged in advance. */
    TOTP_ONLY("offline-data-needs-totp", 409, "Only TOTP credentials can have offline data"),
    /** The same agent had data for the same credential less than a day ago; Retry-After and nextRefreshAt say when. */
    REFRESH_TOO_SOON("offline-data-refresh-too-soon", 429, "Offline data was refreshed less than a day ago"),
    /** The agent's data was revoked: no refresh or usage report until an admin forces a refresh. */
    REVOKED("offline-data-revoked", 409, "The agent's offline data was revoked"),
    /** No offline data for that agent of that user in the caller's domain. */
    UNKNOWN_AGENT("unknown-offline-data", 404, "No offline data for this agent"),
    /** A usage report names steps the agent's last bundle does not cover. */
    USAGE_OUTSIDE_DATA("offline-usage-outside-data", 409, "Steps outside the agent's offline data"),
    /** A usage report names steps that have not begun yet (beyond the verification window). */
    USAGE_IN_FUTURE("offline-usage-in-future", 409, "Steps that have not begun yet"),
    /** The domain does not let admins force a refresh. */
    FORCE_NOT_ALLOWED("offline-refresh-force-not-allowed", 403, "The domain does not let admins force a refresh");

    private final Spec spec;

    OfflineDataProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
