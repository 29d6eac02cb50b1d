package org.countersign.provisioning.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** registration-service's PendingActivation answer; newer fields it may add are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PendingRegistration(
        String registrationId,
        String userId,
        String domain,
        String serialNumber,
        String activationType,
        String instanceId,
        String otp,
        String sealedActivationPassword,
        Instant expiresAt,
        String status) {

    @Override
    public String toString() {
        return "PendingRegistration[" + registrationId + ", " + status + "]";
    }
}
