package org.countersign.push.domain;

/** ACTIVE devices may connect, poll and answer; REVOKED ones never again. */
public enum DeviceStatus {
    ACTIVE,
    REVOKED
}
