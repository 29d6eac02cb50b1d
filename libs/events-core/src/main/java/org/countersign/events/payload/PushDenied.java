package org.countersign.events.payload;

import java.time.Instant;
import org.countersign.events.EventType;
import org.countersign.events.Topics;

/**
 * A push request was denied on a device, with a valid signature of that device's key.
 *
 * @param requestId The push request
 * @param userId The user
 * @param domain The tenant
 * @param instanceId The device (authenticator instance) that answered
 * @param dataHash base64url SHA-256 of the message and fields of the request
 * @param reason {@code denied} (the user said no) or {@code wrong-number} (the user approved with a number other
 *               than the one the app showed, which counts as a denial: a sign of push bombing)
 * @param deniedAt When
 */
public record PushDenied(
        String requestId,
        String userId,
        String domain,
        String instanceId,
        String dataHash,
        String reason,
        Instant deniedAt) {

    public static final String DENIED = "denied";
    public static final String WRONG_NUMBER = "wrong-number";

    public static final EventType TYPE = new EventType("org.countersign.push.push-denied.v1", Topics.PUSH);
}
