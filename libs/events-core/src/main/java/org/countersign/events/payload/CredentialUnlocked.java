package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * An admin unlocked a credential.
 *
 * @param credentialId The credential
 * @param domain The tenant
 * @param serialNumber Its serial number
 * @param unlockedAt When
 */
public record CredentialUnlocked(
        String credentialId,
        String domain,
        String serialNumber,
        Instant unlockedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.credential-unlocked.v1", Topics.AUTHENTICATIONS);
}
