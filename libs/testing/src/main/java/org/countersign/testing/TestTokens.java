package org.countersign.testing;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.countersign.stack.DevTokens;

/** Bearer tokens for tests, signed with the key the services under test trust. */
public final class TestTokens {

    public static final String DOMAIN = "acme.test";
    public static final String OTHER_DOMAIN = "globex.test";

    private TestTokens() {
    }

    public static String token(String domain, String... scopes) {
        return DevTokens.mint(SharedStack.keys().privateKey(), "test-client", domain, List.of(scopes), Duration.ofMinutes(10));
    }

    /** A token that expired an hour ago, well past any allowed clock skew. */
    public static String expired(String domain, String... scopes) {
        return DevTokens.mint(SharedStack.keys().privateKey(), "test-client", domain, List.of(scopes),
                Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    }

    /** A well-formed token signed by a key that no service trusts. */
    public static String signedByStranger(String domain, String... scopes) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return DevTokens.mint(generator.generateKeyPair().getPrivate(), "stranger", domain, List.of(scopes),
                    Duration.ofMinutes(10));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token of the trusted key whose header names {@code keyId}, as the portal's tokens name theirs. */
    public static String signedAs(String keyId, String domain, String... scopes) {
        return DevTokens.mint(SharedStack.keys().privateKey(), keyId, "test-client", domain, List.of(scopes), Instant.now(),
                Duration.ofMinutes(10));
    }

    public static String bearer(String domain, String... scopes) {
        return "Bearer " + token(domain, scopes);
    }
}
