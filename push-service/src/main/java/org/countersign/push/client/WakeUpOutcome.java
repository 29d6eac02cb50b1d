package org.countersign.push.client;

/** What became of one wake-up. */
public enum WakeUpOutcome {
    /** FCM or APNs accepted it. */
    SENT,
    /** The provider says the token is no longer registered (FCM UNREGISTERED, APNs 410/BadDeviceToken): disable it. */
    UNREGISTERED,
    /** The provider refused it for good (a malformed request, a token of another app): logged, not retried. */
    REJECTED,
    /** The provider failed, slowly or with errors, through every attempt. */
    FAILED,
    /** The provider failed so often lately that it is not being called for a while (circuit open). */
    CIRCUIT_OPEN,
    /** No credentials for this provider are configured. */
    NOT_CONFIGURED
}
