package org.countersign.otp.repository;

/**
 * Transaction-scoped advisory locks that order the appliers of events which meet in one credential but
 * travel on different topics, and so run in different consumers at the same moment: a
 * CredentialProvisioned against the instance's AuthenticatorRevoked, and against its user's
 * UserDeactivated. Without them each transaction reads before the other commits, the revocation finds no
 * credential to revoke, the credential finds no revocation, and a withdrawn instance is stored ACTIVE.
 * Lock order: the user's before the instance's, everywhere.
 */
final class CredentialLocks {

    /** Locks one key until the transaction ends ($1: {@link #user} or {@link #instance}). */
    static final String LOCK = "SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS l";

    /**
     * Locks two keys, $1 then $2 (a select list is evaluated in order), in one round trip. The subquery is
     * evaluated once: one with volatile functions is never flattened.
     */
    static final String LOCK_BOTH = "SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0)),"
            + " pg_advisory_xact_lock(hashtextextended($2, 0))) AS l";

    private CredentialLocks() {
    }

    static String user(String domain, String userId) {
        return "otp-credentials-of-user|" + domain + "|" + userId;
    }

    static String instance(String instanceId) {
        return "otp-credential-of-instance|" + instanceId;
    }
}
