package org.countersign.otp.domain;

/** LOCKED: too many guesses, too often; only an admin unlock opens it again. */
public enum CredentialStatus {
    ACTIVE,
    DISABLED,
    REVOKED,
    LOCKED
}
