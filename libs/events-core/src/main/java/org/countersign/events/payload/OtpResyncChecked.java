package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A resynchronisation of a token (two consecutive codes, RFC 4226 section 7.4) was checked: accepted
 * moved the token's counter or learned its clock drift; rejected moved nothing. Never a code or a PIN.
 *
 * @param userId The user
 * @param domain The tenant
 * @param serialNumber The token the request named
 * @param instanceId The authenticator instance, for activated instances (may be absent)
 * @param result accepted or rejected
 * @param reason Only when rejected: no-match or locked; never which part of a PIN+OTP was wrong
 * @param checkedAt When
 */
public record OtpResyncChecked(
        String userId,
        String domain,
        String serialNumber,
        String instanceId,
        String result,
        String reason,
        Instant checkedAt) {

    public static final EventType TYPE = new EventType("org.countersign.authentication.otp-resync-checked.v1",
            Topics.AUTHENTICATIONS);

    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
}
