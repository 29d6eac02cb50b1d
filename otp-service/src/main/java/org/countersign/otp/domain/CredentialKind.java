package org.countersign.otp.domain;

public enum CredentialKind {
    HOTP,
    TOTP,
    OCRA
}
