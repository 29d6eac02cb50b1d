package org.countersign.registration.domain;

/** PENDING holds a licence reservation; every other status has settled it. */
public enum RegistrationStatus {
    PENDING,
    ACTIVATED,
    EXPIRED,
    CANCELLED,
    FAILED,
    REVOKED
}
