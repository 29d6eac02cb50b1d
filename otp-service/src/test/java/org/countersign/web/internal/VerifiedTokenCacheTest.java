package org.countersign.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.countersign.otp.SettableClock;
import org.countersign.stack.DevTokens;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * libs/web's cache of verified bearer tokens (tested here, where the profile found the cost): the
 * exact token that verified is served again without a second RS256 verification, and nothing else
 * is: not a token that differs in one character, not one past its exp or past the cache's TTL, and
 * never a failure. The parser it wraps is smallrye-jwt's own, on a key made for the test; only the
 * calls that reach it are counted.
 */
class VerifiedTokenCacheTest {

    /** smallrye-jwt's parser, counting the tokens it had to verify. */
    static final class CountingParser extends DefaultJWTParser {
        int verifications;

        CountingParser(JWTAuthContextInfo info) {
            super(info);
        }

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            verifications++;
            return super.parse(token);
        }
    }

    private KeyPair keys;
    private CountingParser parser;
    private SettableClock clock;
    private VerifiedTokenCache cache;

    @BeforeEach
    void setUp() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        JWTAuthContextInfo info = new JWTAuthContextInfo(keys.getPublic(), DevTokens.ISSUER);
        parser = new CountingParser(info);
        clock = new SettableClock();
        cache = new VerifiedTokenCache(parser, clock, true);
    }

    private String token(String domain, Duration ttl) {
        return DevTokens.mint(keys.getPrivate(), "caller", domain, List.of("otp"), ttl);
    }

    @Test
    void sameToken_verifiedOnce_claimsServedAgain() throws Exception {
        String token = token("acme.test", Duration.ofMinutes(10));
        assertEquals("acme.test", cache.parse(token).getClaim("domain").toString());
        assertEquals("acme.test", cache.parse(token).getClaim("domain").toString());
        assertEquals(1, parser.verifications);
        cache.parse(token("globex.test", Duration.ofMinutes(10)));
        assertEquals(2, parser.verifications, "another token is verified on its own");
    }

    @Test
    void tokenChangedInOneCharacter_verifiedAndRefused() throws Exception {
        String token = token("acme.test", Duration.ofMinutes(10));
        cache.parse(token);
        // A character inside the signature: the last one also holds padding bits, and 'A' and 'B' there
        // can decode to the same bytes, so that the "tampered" token would verify.
        int inSignature = token.length() - 10;
        String tampered = token.substring(0, inSignature) + (token.charAt(inSignature) == 'A' ? 'B' : 'A')
                + token.substring(inSignature + 1);
        assertThrows(ParseException.class, () -> cache.parse(tampered));
        assertThrows(ParseException.class, () -> cache.parse(tampered));
        assertEquals(3, parser.verifications, "a failure is never remembered");
    }

    @Test
    void tokenSignedByAnotherKey_refusedEveryTime() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String stranger = DevTokens.mint(generator.generateKeyPair().getPrivate(), "caller", "acme.test", List.of("otp"),
                Duration.ofMinutes(10));
        assertThrows(ParseException.class, () -> cache.parse(stranger));
        assertThrows(ParseException.class, () -> cache.parse(stranger));
        assertEquals(2, parser.verifications);
    }

    @Test
    void pastItsExp_notServedFromTheCache() throws Exception {
        String token = token("acme.test", Duration.ofSeconds(30));
        cache.parse(token);
        clock.pin(Instant.now().plusSeconds(31));
        // The cache's clock says the token expired: it asks the parser again (whose own clock still accepts it).
        cache.parse(token);
        assertEquals(2, parser.verifications);
    }

    @Test
    void pastTheCachesTtl_verifiedAgain() throws Exception {
        String token = token("acme.test", Duration.ofMinutes(10));
        cache.parse(token);
        clock.pin(Instant.now().plus(VerifiedTokenCache.TTL).plusSeconds(1));
        cache.parse(token);
        cache.parse(token);
        assertEquals(2, parser.verifications);
    }
}
