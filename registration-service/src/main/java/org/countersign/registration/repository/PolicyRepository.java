package org.countersign.registration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;
import org.countersign.registration.domain.Policy;

@ApplicationScoped
@WithSession
public class PolicyRepository implements PanacheRepositoryBase<Policy, Policy.Key> {
}
