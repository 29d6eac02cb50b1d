package org.countersign.protocol;

import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.function.Function;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.DeviceJwt;
import org.countersign.secrets.Randomness;

/**
 * A device's bearer token (protocol.md, "Device authentication"): a compact JWS, ES256 with the
 * device key, header exactly {@code {"alg":"ES256","typ":"JWT","kid":<iid>}}, claims
 * {@code iss = sub = <iid>}, {@code aud} (a string), {@code iat}, {@code exp} (integer seconds,
 * {@code 0 < exp - iat <= 300}) and {@code jti} (base64url of at least 16 random bytes).
 *
 * <p>Device: {@link #sign} with a fresh {@link #newJti()} for every token. Server:
 * {@link #verify(String, String, Instant, Function)} with a lookup of the instance's public key,
 * or, when the lookup is asynchronous, {@link #keyId} first (cheap checks only, before any
 * lookup) and then {@link #verify(String, ECPublicKey, String, Instant)}. Verification reads the
 * token as sent, allows {@link #CLOCK_SKEW_SECONDS} of clock skew, and throws
 * {@link InvalidDeviceTokenException} for anything but a valid token. An instance of this class
 * exists only for a token that passed every check.
 *
 * <p>Replay is the server's part: refuse a {@link #jti()} seen before, and remember each until
 * {@link #replayWindowEnd()}, after which the token is refused as expired anyway.
 */
public final class DeviceToken {

    /** The audience of tokens for the push service, as protocol.md names it. */
    public static final String PUSH_AUDIENCE = "countersign-push";
    public static final long MAX_LIFETIME_SECONDS = 300;
    public static final long CLOCK_SKEW_SECONDS = 60;
    /** A jti carries at least this many random bytes. */
    public static final int MIN_JTI_BYTES = 16;
    /** The longest jti accepted, in characters (96 bytes), so that a replay store stays small. */
    public static final int MAX_JTI_LENGTH = 128;
    /** The longest token read at all. */
    public static final int MAX_TOKEN_LENGTH = 4096;

    private final String instanceId;
    private final String jti;
    private final long issuedAt;
    private final long expiresAt;

    private DeviceToken(String instanceId, String jti, long issuedAt, long expiresAt) {
        this.instanceId = instanceId;
        this.jti = jti;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    /** A fresh jti: base64url of 16 random bytes. */
    public static String newJti() {
        return Base64Url.encode(Randomness.bytes(MIN_JTI_BYTES));
    }

    /**
     * Device side: a signed token.
     *
     * @param audience {@link #PUSH_AUDIENCE} for the push service
     * @param issuedAt {@code iat}, Unix seconds
     * @param expiresAt {@code exp}, Unix seconds, after {@code issuedAt} by at most 300
     * @param jti a fresh {@link #newJti()}
     * @throws IllegalArgumentException for a token a server would refuse on its form
     */
    public static String sign(PrivateKey deviceKey, String iid, String audience, long issuedAt, long expiresAt, String jti) {
        return DeviceJwt.sign(deviceKey, iid, audience, issuedAt, expiresAt, jti);
    }

    /**
     * Server side, first half: checks the form and the header, and returns {@code kid}, the
     * instance whose key must be looked up. Nothing about the token is trusted yet.
     *
     * @throws InvalidDeviceTokenException {@code MALFORMED}, {@code ALGORITHM} or {@code HEADER}
     */
    public static String keyId(String token) {
        return DeviceJwt.parse(token).keyId();
    }

    /**
     * Server side: every check, with the key of {@link #keyId}'s instance.
     *
     * @param audience the audience this server expects, e.g. {@link #PUSH_AUDIENCE}
     * @param now the server's clock
     * @throws InvalidDeviceTokenException for anything but a valid token
     */
    public static DeviceToken verify(String token, ECPublicKey key, String audience, Instant now) {
        DeviceJwt.Claims claims = DeviceJwt.parse(token).verify(key, audience, now.getEpochSecond());
        return new DeviceToken(claims.iid(), claims.jti(), claims.issuedAt(), claims.expiresAt());
    }

    /**
     * Server side, in one call.
     *
     * @param keys the public key of an instance by its iid, or null when there is no such
     *     (active) instance; called at most once, only for a token whose form and header are valid
     * @throws InvalidDeviceTokenException for anything but a valid token
     */
    public static DeviceToken verify(String token, String audience, Instant now, Function<String, ECPublicKey> keys) {
        DeviceJwt parsed = DeviceJwt.parse(token);
        ECPublicKey key = keys.apply(parsed.keyId());
        if (key == null) {
            throw new InvalidDeviceTokenException(InvalidDeviceTokenException.Reason.UNKNOWN_INSTANCE);
        }
        DeviceJwt.Claims claims = parsed.verify(key, audience, now.getEpochSecond());
        return new DeviceToken(claims.iid(), claims.jti(), claims.issuedAt(), claims.expiresAt());
    }

    /** The device's instance id: {@code kid}, {@code iss} and {@code sub}. */
    public String instanceId() {
        return instanceId;
    }

    public String jti() {
        return jti;
    }

    /** {@code iat}, Unix seconds. */
    public long issuedAt() {
        return issuedAt;
    }

    /** {@code exp}, Unix seconds. */
    public long expiresAt() {
        return expiresAt;
    }

    /** Until when (Unix seconds) the jti must be remembered: {@code exp} plus the clock skew. */
    public long replayWindowEnd() {
        return expiresAt + CLOCK_SKEW_SECONDS;
    }

    @Override
    public String toString() {
        return "DeviceToken[iid=" + instanceId + ", iat=" + issuedAt + ", exp=" + expiresAt + "]";
    }
}
