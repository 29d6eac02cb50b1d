package org.countersign.web.internal;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.countersign.web.ServiceIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers bearer tokens that verified, so that a caller sending the same token again and again (a
 * login front end, a VPN concentrator) costs one RS256 verification and one parse per token, not per
 * request: in {@code bench otp} they were a fifth of otp-service's CPU. It stands in for smallrye-jwt's
 * parser (the bean Quarkus authenticates bearer tokens with) and hands every other call to it.
 *
 * <p>Why it is safe: a JWS signature is a deterministic function of the exact bytes of the token, so
 * the token string that verified once verifies again under the same key; a hit is the exact same
 * string (compared as a SHA-256 digest, in constant time, so a lookup's timing tells nothing about the
 * tokens held). A hit is served only before the token's {@code exp} (no clock skew granted) and only
 * for {@link #TTL} after it verified, so a key that is rotated out stops being honoured within a
 * minute, as a JWKS refresh would; failures are never remembered. Tokens carry no state the services
 * revoke, so nothing else could change its answer. Memory is bounded: past {@link #MAX_TOKENS} the
 * cache starts afresh. {@code countersign.web.token-cache.enabled=false} turns it off (every request
 * verified), for comparison.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

    static final int MAX_TOKENS = 10_000;
    static final Duration TTL = Duration.ofSeconds(60);

    private record Key(byte[] digest, int hash) {
        static Key of(String token) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
                return new Key(digest, Arrays.hashCode(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && MessageDigest.isEqual(digest, key.digest);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record Verified(JsonWebToken token, long expiresAtMillis, long verifiedAtMillis) {
    }

    private final DefaultJWTParser parser;
    private final ConcurrentHashMap<Key, Verified> verified = new ConcurrentHashMap<>();
    private final Clock clock;
    private final boolean enabled;
    private final BoundKeys boundKeys;

    @Inject
    public VerifiedTokenCache(DefaultJWTParser parser,
                              @ConfigProperty(name = "countersign.web.token-cache.enabled", defaultValue = "true") boolean enabled,
                              ServiceIdentity service) {
        this(parser, Clock.systemUTC(), enabled, BoundKeys.of(service.boundKeys()));
    }

    VerifiedTokenCache(DefaultJWTParser parser, Clock clock, boolean enabled) {
        this(parser, clock, enabled, BoundKeys.of(Optional.empty()));
    }

    VerifiedTokenCache(DefaultJWTParser parser, Clock clock, boolean enabled, BoundKeys boundKeys) {
        this.parser = parser;
        this.clock = clock;
        this.enabled = enabled;
        this.boundKeys = boundKeys;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        if (!enabled) {
            return boundKeys.check(parser.parse(token));
        }
        Key key = Key.of(token);
        long now = clock.millis();
        Verified hit = verified.get(key);
        if (hit != null && now < hit.expiresAtMillis() && now - hit.verifiedAtMillis() < TTL.toMillis()) {
            return hit.token();
        }
        // Only a token its key may sign is remembered, so a hit needs no second look.
        JsonWebToken parsed = boundKeys.check(parser.parse(token));
        if (parsed.getExpirationTime() > 0) {
            if (verified.size() >= MAX_TOKENS) {
                verified.clear();
            }
            verified.put(key, new Verified(parsed, parsed.getExpirationTime() * 1000, now));
        }
        return parsed;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return parser.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return parser.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return parser.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return parser.parseOnly(token);
    }
}
