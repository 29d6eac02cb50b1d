package org.countersign.push.service;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.countersign.push.config.PushConfig;
import org.countersign.push.domain.PushProblem;
import org.countersign.web.ProblemException;
import org.jboss.logging.Logger;

/**
 * The per-domain rate of new push requests ({@code countersign.push.requests.max-per-domain-per-second}):
 * one Redis counter per domain and second, {@code cs:push:rate:<domain>:<epoch second>}, shared by every
 * replica. It protects capacity, not a secret, so when Redis cannot be reached the request goes on (and the
 * per-user limits, kept in PostgreSQL, still hold).
 */
@ApplicationScoped
public class DomainRate {

    private static final Logger LOG = Logger.getLogger(DomainRate.class);
    /** Counts one request; the key outlives the second it counts (by 10 s, so that a slow caller never finds it gone and starts again). */
    private static final String COUNT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], 10) end return n";

    private final AtomicLong lastWarning = new AtomicLong();
    private final ReactiveRedisDataSource redis;
    private final PushConfig config;
    private final Clock clock;

    public DomainRate(ReactiveRedisDataSource redis, PushConfig config, Clock clock) {
        this.redis = redis;
        this.config = config;
        this.clock = clock;
    }

    /** Counts one new request of the domain; fails with a 429 when the domain is over its rate this second. */
    public Uni<Void> count(String domain) {
        long second = clock.millis() / 1000;
        return redis.execute("EVAL", COUNT, "1", "cs:push:rate:" + domain + ":" + second)
                .map(response -> response == null ? 0L : response.toLong())
                .onFailure().recoverWithItem(e -> {
                    long now = clock.millis();
                    long last = lastWarning.get();
                    if (now - last > 10_000 && lastWarning.compareAndSet(last, now)) {
                        LOG.warnf("Domain rates not counted (Redis: %s); push requests go on without them", e.toString());
                    }
                    return 0L;
                })
                .map(count -> {
                    int limit = config.requests().maxPerDomainPerSecond();
                    if (count > limit) {
                        throw new ProblemException(PushProblem.DOMAIN_PUSH_RATE_EXCEEDED, "This domain may create " + limit
                                + " push requests per second (countersign.push.requests.max-per-domain-per-second)",
                                Map.of("Retry-After", "1"));
                    }
                    return null;
                });
    }
}
