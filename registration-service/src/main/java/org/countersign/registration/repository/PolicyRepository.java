package org.countersign.registration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.countersign.registration.domain.Policy;

@ApplicationScoped
@WithSession
public class PolicyRepository implements PanacheRepositoryBase<Policy, Policy.Key> {

    private static final String UPSERT = "INSERT INTO policies (domain, authenticator_type, max_authenticators_per_user,"
            + " registration_lifetime_seconds, activation_types, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
            + " ON CONFLICT (domain, authenticator_type) DO UPDATE SET"
            + " max_authenticators_per_user = EXCLUDED.max_authenticators_per_user,"
            + " registration_lifetime_seconds = EXCLUDED.registration_lifetime_seconds,"
            + " activation_types = EXCLUDED.activation_types, updated_at = EXCLUDED.updated_at";

    /** Inserts or replaces a policy in one statement, so that two PUTs at once both succeed (the last wins). */
    public Uni<Void> upsert(Policy policy) {
        return getSession().chain(session -> session.createNativeQuery(UPSERT)
                .setParameter(1, policy.key.domain)
                .setParameter(2, policy.key.authenticatorType)
                .setParameter(3, policy.maxAuthenticatorsPerUser)
                .setParameter(4, policy.registrationLifetimeSeconds)
                .setParameter(5, policy.activationTypes)
                .setParameter(6, OffsetDateTime.ofInstant(policy.updatedAt, ZoneOffset.UTC))
                .executeUpdate()).replaceWithVoid();
    }
}
