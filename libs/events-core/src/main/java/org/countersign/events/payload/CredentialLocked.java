package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * Too many failed checks locked a credential.
 *
 * @param credentialId The credential
 * @param domain The tenant
 * @param serialNumber Its serial number
 * @param lockedUntil When the temporary lock ends; absent when only an admin can unlock (may be absent)
 * @param lockedAt When
 */
public record CredentialLocked(
        String credentialId,
        String domain,
        String serialNumber,
        Instant lockedUntil,
        Instant lockedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.credential-locked.v1", Topics.AUTHENTICATIONS);
}
