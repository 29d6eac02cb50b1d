package org.countersign.device;

import java.time.Instant;
import org.countersign.protocol.DeviceToken;

/**
 * The device's bearer tokens (protocol.md, "Device authentication"): ES256 with the profile's
 * device key, {@code kid = iss = sub = iid}, a fresh 16-byte {@code jti} each time, {@code iat}
 * now and {@code exp} at most 300 seconds later. libs/protocol writes the token; this class picks
 * the key and checks what the person asked for.
 */
final class DeviceTokens {

    static final String DEFAULT_AUDIENCE = DeviceToken.PUSH_AUDIENCE;
    static final long DEFAULT_TTL_SECONDS = DeviceToken.MAX_LIFETIME_SECONDS;

    private DeviceTokens() {
    }

    /**
     * @param profile a profile with an online identity (confirmed or not: the server decides)
     * @param ttlSeconds {@code exp - iat}, 1 to 300
     */
    static String sign(Profile profile, String audience, long ttlSeconds, Instant now) {
        if (ttlSeconds < 1 || ttlSeconds > DeviceToken.MAX_LIFETIME_SECONDS) {
            throw new DeviceException(DeviceException.Kind.USAGE, "--ttl is 1 to " + DeviceToken.MAX_LIFETIME_SECONDS
                    + " seconds (protocol.md: exp - iat <= 300).");
        }
        if (audience == null || audience.isBlank()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "--audience is empty.");
        }
        long iat = now.getEpochSecond();
        try {
            return DeviceToken.sign(profile.online().privateKey(), profile.iid(), audience, iat, iat + ttlSeconds,
                    DeviceToken.newJti());
        } catch (IllegalArgumentException e) {
            throw new DeviceException(DeviceException.Kind.USAGE, "Cannot make that token: " + Display.safe(e.getMessage()) + ".");
        }
    }
}
