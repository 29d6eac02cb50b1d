package org.countersign.web.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The service authenticates bearer tokens through libs/web's cache, not smallrye-jwt's parser alone. */
@QuarkusTest
class TokenCacheInUseTest {

    @Inject
    JWTParser parser;

    @Test
    void bearerTokens_parsedThroughTheCache() {
        assertInstanceOf(VerifiedTokenCache.class, ClientProxy.unwrap(parser));
    }
}
