package org.countersign.stack;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/** Mints development bearer tokens shaped like an identity provider's: RS256, a domain, OAuth2 scopes. */
public final class DevTokens {

    public static final String ISSUER = "https://countersign.local";
    public static final String AUDIENCE = "countersign";
    public static final String DEFAULT_DOMAIN = "example.com";
    /** The key id in the header of the tokens minted here. */
    public static final String KEY_ID = "countersign-dev";
    /** Every scope architecture.md defines, plus visual-codes (see docs/security.md). */
    public static final List<String> ALL_SCOPES =
            List.of("registration", "provisioning", "visual-codes", "otp", "push", "admin");

    private DevTokens() {
    }

    public static String mint(PrivateKey key, String subject, String domain, Collection<String> scopes, Duration ttl) {
        return mint(key, subject, domain, scopes, Instant.now(), ttl);
    }

    /** A token issued at a given time, so that tests can make one that expired long ago. */
    public static String mint(PrivateKey key, String subject, String domain, Collection<String> scopes,
                              Instant issuedAt, Duration ttl) {
        return mint(key, KEY_ID, subject, domain, scopes, issuedAt, ttl);
    }

    /** A token whose header names another key id, as a second signer (the portal) would. */
    public static String mint(PrivateKey key, String keyId, String subject, String domain, Collection<String> scopes,
                              Instant issuedAt, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("The time to live must be positive");
        }
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.getEpochSecond() + ttl.toSeconds()));
        claims.setGeneratedJwtId();
        if (domain != null) {
            claims.setClaim("domain", domain);
        }
        claims.setClaim("scope", String.join(" ", scopes));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(keyId);
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign a development token", e);
        }
    }
}
