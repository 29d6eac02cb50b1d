package org.countersign.events.internal;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness, not readiness: a consumer whose thread ended or that has not completed a poll for
 * {@code countersign.events.consumers.liveness-timeout} cannot heal itself, and a restart of the
 * service is what helps. Kafka or the database being away does not make it DOWN: the consumers
 * keep polling while they wait.
 */
@Liveness
@ApplicationScoped
public class ConsumersLiveness implements HealthCheck {

    static final String NAME = "event-consumers";

    private final EventConsumers consumers;

    public ConsumersLiveness(EventConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, Boolean> alive = consumers.liveness();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(alive.values().stream().allMatch(Boolean::booleanValue));
        consumers.describe().forEach(response::withData);
        return response.build();
    }
}
