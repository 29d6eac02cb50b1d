package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A device was added to a registration: offline, it sent its device code and received activation
 * message 2; online (or migrating), it enrolled its key and received its certificate. It is active
 * once it confirms.
 *
 * @param registrationId The registration
 * @param instanceId The new instance (for a migration, the existing one)
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The licence serial number
 * @param addedAt When
 */
public record DeviceAdded(
        String registrationId,
        String instanceId,
        String userId,
        String domain,
        String serialNumber,
        Instant addedAt) {

    public static final EventType TYPE = new EventType("org.countersign.activation.device-added.v1", Topics.ACTIVATIONS);
}
