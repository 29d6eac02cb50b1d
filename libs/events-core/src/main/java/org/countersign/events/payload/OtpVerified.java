package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A user proved possession of an authenticator with an OTP (the code itself is never in an event).
 *
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The token or licence that matched
 * @param instanceId The authenticator instance, for activated instances (may be absent)
 * @param verifiedAt When
 */
public record OtpVerified(
        String userId,
        String domain,
        String serialNumber,
        String instanceId,
        Instant verifiedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.otp-verified.v1", Topics.AUTHENTICATIONS);
}
