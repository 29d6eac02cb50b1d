package org.countersign.push.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
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
 * Wakes Android devices through Firebase Cloud Messaging (HTTP v1). Authenticates as the configured
 * service account: an RS256-signed assertion buys an OAuth access token, kept until five minutes
 * before it expires. The message is a data message with no user identity and no text
 * ({@code {"type": "countersign-wake"}}): the app fetches the request over its own authenticated
 * channel. Retries and the circuit breaker are {@link WakeUpGuard}'s.
 */
@ApplicationScoped
public class FcmClient {

    /** The only data a wake-up carries. */
    public static final String WAKE_TYPE = "countersign-wake";
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final Logger LOG = Logger.getLogger(FcmClient.class);
    private static final long REFRESH_MARGIN_SECONDS = 300;

    private record Cached(String token, Instant refreshAt) {
        @Override
        public String toString() {
            return "Cached[" + refreshAt + "]";
        }
    }

    private final FcmServiceAccount account;
    private final FcmRestClient rest;
    private final WakeUpGuard guard;
    private final PushConfig config;
    private final Vertx vertx;
    private final Clock clock;
    private final AtomicReference<Cached> cached = new AtomicReference<>();
    private final AtomicReference<Uni<String>> refreshing = new AtomicReference<>();

    public FcmClient(PushConfig config, ObjectMapper mapper, Vertx vertx, Clock clock) {
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
        // A malformed key stops the service at start, as a bad CA key does in provisioning: better than failing every wake-up.
        this.account = config.fcm().serviceAccount().filter(s -> !s.isBlank()).map(json -> FcmServiceAccount.parse(json, mapper))
                .orElse(null);
        this.rest = new FcmRestClient(vertx, mapper, config.wakeUps().timeout().toMillis());
        this.guard = new WakeUpGuard("fcm", config.wakeUps());
        if (account == null) {
            LOG.info("FCM is not configured (countersign.push.fcm.service-account): Android devices are reached over their channel only");
        }
    }

    public boolean configured() {
        return account != null;
    }

    /** Sends one wake-up to the device's FCM token, to be held by FCM until {@code until} at most. */
    public Uni<WakeUpOutcome> wake(String pushToken, Instant until) {
        if (account == null) {
            return Uni.createFrom().item(WakeUpOutcome.NOT_CONFIGURED);
        }
        long ttl = Math.max(1, until.getEpochSecond() - clock.instant().getEpochSecond());
        return guard.call(() -> accessToken().chain(token -> rest.send(config.fcm().url(), account.projectId(), token, pushToken, ttl))
                .onFailure(FcmRestClient.FcmAuthenticationException.class).invoke(e -> cached.set(null)));
    }

    /** The cached access token, or a new one; concurrent callers share one refresh. */
    private Uni<String> accessToken() {
        Cached current = cached.get();
        if (current != null && clock.instant().isBefore(current.refreshAt())) {
            return Uni.createFrom().item(current.token());
        }
        Uni<String> fresh = Uni.createFrom().deferred(this::fetchToken).memoize().indefinitely();
        Uni<String> running = refreshing.compareAndExchange(null, fresh);
        Uni<String> shared = running == null ? fresh : running;
        return shared.onTermination().invoke(() -> refreshing.compareAndSet(shared, null));
    }

    private Uni<String> fetchToken() {
        String tokenUrl = config.fcm().tokenUrl().orElse(account.tokenUri());
        return vertx.executeBlocking(Uni.createFrom().item(() -> assertion(tokenUrl)), false)
                .chain(assertion -> rest.accessToken(tokenUrl, assertion))
                .map(token -> {
                    Instant refreshAt = clock.instant().plusSeconds(Math.max(0, token.expiresInSeconds() - REFRESH_MARGIN_SECONDS));
                    cached.set(new Cached(token.value(), refreshAt));
                    return token.value();
                });
    }

    /** The RS256 JWT bearer assertion Google's token endpoint takes for a service account. */
    private String assertion(String tokenUrl) {
        long now = clock.instant().getEpochSecond();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(account.clientEmail());
        claims.setSubject(account.clientEmail());
        claims.setAudience(tokenUrl);
        claims.setStringClaim("scope", SCOPE);
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 3600));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(account.privateKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        if (account.privateKeyId() != null) {
            jws.setKeyIdHeaderValue(account.privateKeyId());
        }
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("The FCM assertion cannot be signed: " + e.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void close() {
        rest.close();
    }
}
