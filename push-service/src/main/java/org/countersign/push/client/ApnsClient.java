package org.countersign.push.client;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.countersign.push.config.PushConfig;
import org.jboss.logging.Logger;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Wakes iOS devices through APNs with token-based authentication: a provider token (ES256 JWT, kid =
 * key id, iss = team id, iat) signed with the configured .p8 key, renewed every 40 minutes (Apple
 * refuses tokens older than an hour and renewals more often than every 20 minutes). Retries and the
 * circuit breaker are {@link WakeUpGuard}'s.
 */
@ApplicationScoped
public class ApnsClient {

    /** The localisation key of the alert; the app's own bundle holds its text. */
    public static final String ALERT_KEY = "COUNTERSIGN_PUSH_WAKE";
    private static final Logger LOG = Logger.getLogger(ApnsClient.class);
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(40);

    private record ProviderToken(String jwt, Instant renewAt) {
        @Override
        public String toString() {
            return "ProviderToken[" + renewAt + "]";
        }
    }

    private final PrivateKey key;
    private final PushConfig.Apns apns;
    private final ApnsRestClient rest;
    private final WakeUpGuard guard;
    private final Vertx vertx;
    private final Clock clock;
    private final AtomicReference<ProviderToken> token = new AtomicReference<>();

    public ApnsClient(PushConfig config, Vertx vertx, Clock clock) {
        this.apns = config.apns();
        this.vertx = vertx;
        this.clock = clock;
        boolean configured = apns.key().filter(k -> !k.isBlank()).isPresent();
        if (configured && (apns.keyId().isEmpty() || apns.teamId().isEmpty() || apns.topic().isEmpty())) {
            throw new IllegalArgumentException("An APNs key needs countersign.push.apns.key-id, team-id and topic as well");
        }
        this.key = configured ? PemKeys.pkcs8(apns.key().get(), "EC", "countersign.push.apns.key") : null;
        this.rest = new ApnsRestClient(vertx, apns.url(), config.wakeUps().timeout().toMillis());
        this.guard = new WakeUpGuard("apns", config.wakeUps());
        if (!configured) {
            LOG.info("APNs is not configured (countersign.push.apns.key): iOS devices are reached over their channel only");
        }
    }

    public boolean configured() {
        return key != null;
    }

    /** Sends one wake-up to the device's APNs token; APNs holds it until {@code until} at most. */
    public Uni<WakeUpOutcome> wake(String deviceToken, Instant until) {
        if (key == null) {
            return Uni.createFrom().item(WakeUpOutcome.NOT_CONFIGURED);
        }
        return guard.call(() -> providerToken()
                .chain(jwt -> rest.send(jwt, apns.topic().orElseThrow(), deviceToken, until.getEpochSecond()))
                .onFailure(ApnsRestClient.ApnsAuthenticationException.class).invoke(e -> token.set(null)));
    }

    private Uni<String> providerToken() {
        ProviderToken current = token.get();
        if (current != null && clock.instant().isBefore(current.renewAt())) {
            return Uni.createFrom().item(current.jwt());
        }
        return vertx.executeBlocking(Uni.createFrom().item(this::sign), false).map(jwt -> {
            token.set(new ProviderToken(jwt, clock.instant().plus(TOKEN_LIFETIME)));
            return jwt;
        });
    }

    private String sign() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(apns.teamId().orElseThrow());
        claims.setIssuedAt(NumericDate.fromSeconds(clock.instant().getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(apns.keyId().orElseThrow());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("The APNs provider token cannot be signed: " + e.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void close() {
        rest.close();
    }
}
