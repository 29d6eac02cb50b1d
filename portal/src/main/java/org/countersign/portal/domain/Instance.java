package org.countersign.portal.domain;

import java.time.Instant;

/** An authenticator instance as the provisioning-service shows it. */
public record Instance(String instanceId, String userId, String serialNumber, String mode, String status, Instant activatedAt,
                       String platform, String deviceName, Instant migratedAt) {

    public boolean active() {
        return "active".equals(status);
    }
}
