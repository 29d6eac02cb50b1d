package org.countersign.registration.domain;

public enum LicenceStatus {
    ACTIVE,
    REVOKED
}
