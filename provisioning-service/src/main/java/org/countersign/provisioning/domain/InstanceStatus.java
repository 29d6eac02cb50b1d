package org.countersign.provisioning.domain;

public enum InstanceStatus {
    ACTIVE,
    REVOKED
}
