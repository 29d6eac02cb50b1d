package org.countersign.portal.domain;

import java.time.Instant;

/** Where an activation stands at the provisioning-service. */
public record ActivationState(String registrationId, String activationType, String status, String instanceId, int attemptsLeft,
                              Instant expiresAt) {

    /** Still waiting for the device (pending, or its device step done). */
    public boolean open() {
        return "pending".equals(status) || "device_added".equals(status);
    }

    public boolean activated() {
        return "activated".equals(status);
    }
}
