package org.countersign.push.domain;

import org.countersign.web.ProblemKind;

/** The push-service's business problems; slugs and statuses never change meaning. */
public enum PushProblem implements ProblemKind {
    /** The user is not enabled for push approvals (an admin enables them, one by one or in bulk). */
    PUSH_NOT_ENABLED("push-not-enabled", 409, "The user is not enabled for push"),
    /** The user has no active online device that accepts push requests. */
    NO_PUSH_DEVICE("no-push-device", 409, "The user has no device that can receive push requests"),
    /** Require Biometric is on and none of the user's push devices declared biometric protection. */
    NO_BIOMETRIC_DEVICE("no-biometric-device", 409, "Biometric protection is required and no device of the user has it"),
    /** The user has as many open push requests as allowed (push bombing defence); Retry-After says when one ends. */
    TOO_MANY_OPEN_REQUESTS("too-many-open-push-requests", 429, "The user already has an open push request"),
    /** The user was sent as many push requests as allowed in the window (push bombing defence); Retry-After says when. */
    TOO_MANY_PUSH_REQUESTS("too-many-push-requests", 429, "The user was sent too many push requests recently"),
    /** The caller's domain created as many push requests this second as allowed; Retry-After: 1. */
    DOMAIN_PUSH_RATE_EXCEEDED("domain-push-rate-exceeded", 429, "Too many push requests for this domain right now"),
    /** A message or field breaks a dataHash rule (protocol.md): '=' or a line break in a name, a line break in a value. */
    INVALID_TRANSACTION_DATA("invalid-transaction-data", 400, "The transaction data breaks a rule of the protocol"),
    /** No push request of that id in the caller's domain (for a device: none that it was sent). */
    UNKNOWN_PUSH_REQUEST("unknown-push-request", 404, "Unknown push request"),
    /** The request was answered already: a second or concurrent answer changes nothing. */
    PUSH_REQUEST_ANSWERED("push-request-answered", 409, "The push request was answered already"),
    /** The request's time is up: a late answer changes nothing. */
    PUSH_REQUEST_EXPIRED("push-request-expired", 410, "The push request expired"),
    /** The answer's signature is not the device key's over the request as sent (or a field of it is malformed). */
    INVALID_PUSH_SIGNATURE("invalid-push-signature", 422, "Invalid signature on the answer"),
    /** No active online device of that instance id in the caller's domain. */
    UNKNOWN_DEVICE("unknown-device", 404, "Unknown device"),
    /** A device acknowledged a configuration version it was never sent. */
    UNKNOWN_CONFIG_VERSION("unknown-config-version", 409, "No such configuration version"),
    /** No bulk job of that id in the caller's domain. */
    UNKNOWN_BULK_JOB("unknown-bulk-job", 404, "Unknown bulk job"),
    /** The domain has as many running bulk jobs as allowed (bulk.max-running-per-domain); Retry-After says when to try. */
    TOO_MANY_BULK_JOBS("too-many-bulk-jobs", 429, "The domain has as many running bulk jobs as allowed"),
    /** The push token is not of the form the device's platform issues (for iOS: an APNs token, hex). */
    INVALID_PUSH_TOKEN("invalid-push-token", 400, "The push token is not one the device's platform issues");

    private final Spec spec;

    PushProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
