package org.countersign.push.client;

import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.countersign.push.config.PushConfig;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Retries with exponential backoff and a circuit breaker around one provider (SmallRye Fault
 * Tolerance): only failures a retry can cure are retried, and a provider that keeps failing is left
 * alone for a while, so that a dead FCM or APNs never holds up the requests themselves.
 */
final class WakeUpGuard {

    private static final Logger LOG = Logger.getLogger(WakeUpGuard.class);

    private final TypedGuard<Uni<WakeUpOutcome>> guard;

    WakeUpGuard(String provider, PushConfig.WakeUps config) {
        this.guard = TypedGuard.create(new TypeLiteral<Uni<WakeUpOutcome>>() { })
                .withDescription(provider)
                .withThreadOffload(false)
                .withRetry()
                .maxRetries(config.maxAttempts() - 1)
                .delay(config.retryBackoff().toMillis(), ChronoUnit.MILLIS)
                .withExponentialBackoff().factor(2).maxDelay(config.retryBackoff().toMillis() * 16, ChronoUnit.MILLIS).done()
                .retryOn(RetriableWakeUpException.class)
                .done()
                .withCircuitBreaker()
                .name("countersign-" + provider)
                .failOn(RetriableWakeUpException.class)
                .requestVolumeThreshold(config.circuitFailures())
                .failureRatio(1.0)
                .delay(config.circuitOpenFor().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .onStateChange(state -> LOG.infof("%s circuit %s", provider, state))
                .done()
                .build();
    }

    /** Calls the provider through the guard; every failure ends as an outcome, never as an error. */
    Uni<WakeUpOutcome> call(Supplier<Uni<WakeUpOutcome>> attempt) {
        return guard.get(attempt).onFailure().recoverWithItem(e -> {
            if (e instanceof CircuitBreakerOpenException) {
                return WakeUpOutcome.CIRCUIT_OPEN;
            }
            LOG.debugf("Wake-up failed after every attempt: %s", e.getMessage());
            return WakeUpOutcome.FAILED;
        });
    }
}
