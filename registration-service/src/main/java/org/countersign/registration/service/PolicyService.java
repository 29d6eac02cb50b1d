package org.countersign.registration.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.countersign.registration.config.RegistrationConfig;
import org.countersign.registration.domain.ActivationType;
import org.countersign.registration.domain.Policy;
import org.countersign.registration.repository.PolicyRepository;

/** A tenant's policy per authenticator type, or the configured defaults where it set none. */
@ApplicationScoped
public class PolicyService {

    /** The effective rules. */
    public record Rules(int maxAuthenticatorsPerUser, Duration registrationLifetime, List<ActivationType> activationTypes) {
    }

    private final PolicyRepository policies;
    private final RegistrationConfig config;
    private final Clock clock;

    public PolicyService(PolicyRepository policies, RegistrationConfig config, Clock clock) {
        this.policies = policies;
        this.config = config;
        this.clock = clock;
    }

    @WithSession
    public Uni<Rules> rules(String domain, String authenticatorType) {
        return policies.findById(new Policy.Key(domain, authenticatorType)).map(policy -> policy == null ? defaults()
                : of(policy.maxAuthenticatorsPerUser, policy.registrationLifetimeSeconds, policy.activationTypes));
    }

    /** The rules of a policy's columns as read, or the defaults when the tenant set none (null columns). */
    Rules of(Integer maxAuthenticatorsPerUser, Integer registrationLifetimeSeconds, String activationTypes) {
        return maxAuthenticatorsPerUser == null ? defaults() : new Rules(maxAuthenticatorsPerUser,
                Duration.ofSeconds(registrationLifetimeSeconds), parse(activationTypes));
    }

    @WithTransaction
    public Uni<Rules> put(String domain, String authenticatorType, Rules rules) {
        Policy policy = new Policy();
        policy.key = new Policy.Key(domain, authenticatorType);
        policy.maxAuthenticatorsPerUser = rules.maxAuthenticatorsPerUser();
        policy.registrationLifetimeSeconds = (int) rules.registrationLifetime().toSeconds();
        policy.activationTypes = String.join(",", rules.activationTypes().stream().map(ActivationType::wire).toList());
        policy.updatedAt = clock.instant();
        return policies.upsert(policy).replaceWith(rules);
    }

    Rules defaults() {
        return new Rules(config.maxAuthenticatorsPerUser(), config.registrationLifetime(), parse(config.activationTypes()));
    }

    private static List<ActivationType> parse(String types) {
        return Arrays.stream(types.split(",")).map(String::trim).map(ActivationType::fromWire).toList();
    }
}
