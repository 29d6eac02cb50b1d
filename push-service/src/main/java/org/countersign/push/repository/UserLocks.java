package org.countersign.push.repository;

/**
 * One transaction-scoped advisory lock per push user, held by whatever decides what the user's devices
 * are or receive: a new push request (the open-request limits), a device's activation or migration, and
 * the user's deactivation. The activations and the deactivations travel on different topics, so different
 * consumers apply them at the same moment; without the lock each transaction reads before the other
 * commits (the deactivation finds no device to revoke, the device finds no deactivation) and the device
 * of a deactivated user stays active. The lock is taken before the reads it protects: a statement's
 * snapshot is taken when it starts, so the lock has to be a statement of its own.
 */
final class UserLocks {

    /** Locks the user's key until the transaction ends ($1: {@link #key}), on the reactive SQL client. */
    static final String LOCK = lock("$1");

    /** The same in a Hibernate session, whose native queries number their parameters ?1. */
    static final String LOCK_IN_SESSION = lock("?1");

    private UserLocks() {
    }

    static String key(String domain, String userId) {
        return "push-user|" + domain + "|" + userId;
    }

    private static String lock(String parameter) {
        return "SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(" + hashed(parameter) + ")) AS l";
    }

    /** The lock's 64-bit id for a key given as an SQL expression. */
    static String hashed(String keyExpression) {
        return "hashtextextended(" + keyExpression + ", 7)";
    }
}
