package org.countersign.registration.domain;

public enum UserStatus {
    ACTIVE,
    DEACTIVATED
}
