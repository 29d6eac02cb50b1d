package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * Offline authentication data was issued to a logon agent after an online PIN+OTP check: which
 * steps it covers and how hard its PIN is to guess. Never the tags, the salt or the PIN.
 *
 * @param userId The user
 * @param domain The tenant
 * @param agentId The logon agent the data is for
 * @param serialNumber The credential (token) whose OTPs the data covers
 * @param instanceId The authenticator instance, for activated instances (may be absent)
 * @param firstStep The first TOTP time step the data covers
 * @param endStep The step after the last one covered: the data covers [firstStep, endStep)
 * @param validFrom When the first step covered begins
 * @param validUntil When the last step covered ends
 * @param iterations PBKDF2 iterations of K_off
 * @param forced An admin allowed this refresh before the day was over, or after a revocation
 * @param issuedAt When
 */
public record OfflineDataIssued(
        String userId,
        String domain,
        String agentId,
        String serialNumber,
        String instanceId,
        long firstStep,
        long endStep,
        Instant validFrom,
        Instant validUntil,
        int iterations,
        boolean forced,
        Instant issuedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.offline-data-issued.v1",
            Topics.AUTHENTICATIONS);
}
