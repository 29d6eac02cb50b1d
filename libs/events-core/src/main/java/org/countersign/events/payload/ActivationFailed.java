package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * An activation failed for good; the user must register again.
 *
 * @param registrationId The registration
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param instanceId The instance, when a device was added (may be absent)
 * @param reason A stable reason code, e.g. too-many-wrong-signatures
 * @param failedAt When
 */
public record ActivationFailed(
        String registrationId,
        String userId,
        String domain,
        String serialNumber,
        String instanceId,
        String reason,
        Instant failedAt) {

    public static final EventType TYPE = new EventType("org.countersign.activation.activation-failed.v1", Topics.ACTIVATIONS);
}
