package org.countersign.portal.client;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.countersign.portal.config.PortalConfig;

/**
 * The portal's own bearer token for its calls to the services: RS256, the configured issuer and audience,
 * {@code domain} = the portal's domain and the scopes it needs, shaped like an identity provider's (docs/security.md).
 * Signed with the configured key, read once at start (a missing or unreadable key stops the portal), and
 * reused until a fifth of its lifetime is left.
 */
@Startup
@ApplicationScoped
public class ServiceTokens {

    private final PortalConfig.ServiceToken config;
    private final String domain;
    private final Clock clock;
    private final PrivateKey key;
    private volatile Minted current;

    private record Minted(String token, Instant renewAfter) {
    }

    public ServiceTokens(PortalConfig config, Clock clock) {
        this.config = config.serviceToken();
        this.domain = config.domain();
        this.clock = clock;
        this.key = readKey(this.config.keyLocation());
    }

    /** A valid token, signed anew when the last one is near its end. */
    public String bearer() {
        Minted minted = current;
        Instant now = clock.instant();
        if (minted == null || !now.isBefore(minted.renewAfter())) {
            synchronized (this) {
                minted = current;
                if (minted == null || !now.isBefore(minted.renewAfter())) {
                    minted = mint(now);
                    current = minted;
                }
            }
        }
        return minted.token();
    }

    private Minted mint(Instant now) {
        Duration ttl = config.ttl();
        String token = Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(config.subject())
                .claim("domain", domain)
                .claim("scope", config.scopes())
                .issuedAt(now.getEpochSecond())
                .expiresAt(now.plus(ttl).getEpochSecond())
                .jws().keyId(config.keyId())
                .sign(key);
        return new Minted(token, now.plus(ttl.multipliedBy(4).dividedBy(5)));
    }

    static PrivateKey readKey(String location) {
        Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        byte[] der = null;
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot read the portal's token-signing key from " + file
                    + " (countersign.portal.service-token.key-location, a PKCS#8 PEM RSA key): " + e.getClass().getSimpleName(), e);
        } finally {
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
        }
    }
}
