package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * Internal: an activated instance's secret for the otp-service, sealed.
 *
 * @param instanceId The instance
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param otp Its OTP parameters
 * @param sealedInstanceSecret IS, sealed for the purpose instance-secret
 * @param provisionedAt When
 */
public record CredentialProvisioned(
        String instanceId,
        String userId,
        String domain,
        String serialNumber,
        String otp,
        org.countersign.protocol.SealedValue sealedInstanceSecret,
        Instant provisionedAt) {

    public static final EventType TYPE = new EventType("org.countersign.credential.credential-provisioned.v1", Topics.INTERNAL_CREDENTIALS);
}
