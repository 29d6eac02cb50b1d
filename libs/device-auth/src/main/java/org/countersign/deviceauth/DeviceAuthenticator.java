package org.countersign.deviceauth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import org.countersign.deviceauth.internal.TokenUses;
import org.countersign.protocol.DeviceToken;
import org.countersign.protocol.InvalidDeviceTokenException;
import org.countersign.web.ProblemException;
import org.jboss.logging.Logger;

/**
 * Checks a device's bearer token (protocol.md, "Device authentication"): its form and header, the
 * instance's key (from the service's {@link DeviceKeys}), the ES256 signature over the bytes as
 * sent, iss, sub, aud, iat and exp with 60 s of skew, and that its jti was never used before. Every
 * failure is the same 401 problem, whichever check failed: a caller learns nothing from it. The
 * reason is logged at debug level, without the token.
 */
@ApplicationScoped
public class DeviceAuthenticator {

    static final String BEARER = "Bearer ";
    /** RFC 6750: what a client sees on every refusal. */
    static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\"");

    private static final Logger LOG = Logger.getLogger(DeviceAuthenticator.class);

    private final DeviceKeys keys;
    private final TokenUses uses;
    private final DeviceAuthConfig config;
    private final Vertx vertx;
    private final Clock clock;

    public DeviceAuthenticator(DeviceKeys keys, TokenUses uses, DeviceAuthConfig config, Vertx vertx, Clock clock) {
        this.keys = keys;
        this.uses = uses;
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
    }

    /**
     * @param authorization the request's Authorization header, as sent (may be null)
     * @return the device, once every check passed; otherwise a failure with the 401 problem
     */
    public Uni<DeviceIdentity> authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return Uni.createFrom().failure(refused("no bearer token"));
        }
        String token = authorization.substring(BEARER.length());
        String kid;
        try {
            kid = DeviceToken.keyId(token);
        } catch (InvalidDeviceTokenException e) {
            return Uni.createFrom().failure(refused(e.reason().name()));
        }
        return keys.find(kid).chain(key -> {
            if (key == null) {
                throw refused("no active device " + kid);
            }
            // ECDSA verification is CPU work: off the event loop, back on the caller's context.
            return vertx.executeBlocking(Uni.createFrom().item(() -> DeviceToken.verify(token, key.publicKey(),
                            config.audience(), clock.instant())), false)
                    .onFailure(InvalidDeviceTokenException.class).transform(e -> refused(
                            ((InvalidDeviceTokenException) e).reason().name()))
                    .chain(verified -> uses.firstUse(verified.instanceId(), verified.jti(), verified.replayWindowEnd()))
                    .map(first -> {
                        if (!first) {
                            throw refused("a jti used before");
                        }
                        return new DeviceIdentity(key.instanceId(), key.domain(), key.userId());
                    });
        });
    }

    private static ProblemException refused(String why) {
        LOG.debugf("Device token refused: %s", why);
        return new ProblemException(DeviceAuthProblem.INVALID_DEVICE_TOKEN,
                "A valid device token is required: an unexpired, unused ES256 token of an active device", CHALLENGE);
    }
}
