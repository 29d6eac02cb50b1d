package org.countersign.otp.domain;

public enum CredentialStatus {
    ACTIVE,
    DISABLED,
    REVOKED
}
