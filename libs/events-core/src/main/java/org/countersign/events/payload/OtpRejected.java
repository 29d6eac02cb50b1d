package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A check failed: no credential of the user accepted the code, or all were locked.
 *
 * @param userId The user
 * @param domain The tenant
 * @param reason no-match or locked; never which part of a PIN+OTP was wrong
 * @param rejectedAt When
 */
public record OtpRejected(
        String userId,
        String domain,
        String reason,
        Instant rejectedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.otp-rejected.v1", Topics.AUTHENTICATIONS);
}
