package org.countersign.provisioning.domain;

/**
 * Where an activation stands. It only moves forward: PENDING, then DEVICE_ADDED, then one of the
 * final states, so a copy that lags behind (the Redis cache) may say too little but never too much.
 */
public enum ActivationStatus {
    PENDING,
    DEVICE_ADDED,
    ACTIVATED,
    FAILED,
    EXPIRED,
    CANCELLED;

    public boolean isFinal() {
        return this != PENDING && this != DEVICE_ADDED;
    }
}
