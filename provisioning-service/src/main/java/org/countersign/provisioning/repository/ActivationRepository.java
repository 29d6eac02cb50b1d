package org.countersign.provisioning.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.countersign.provisioning.domain.Activation;

@ApplicationScoped
@WithSession
public class ActivationRepository implements PanacheRepositoryBase<Activation, String> {

    public Uni<Activation> lockInDomain(String domain, String registrationId) {
        return find("domain = ?1 and registrationId = ?2", domain, registrationId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** In any domain: ids are unique across domains. */
    public Uni<Activation> findAnyDomain(String registrationId) {
        return findById(registrationId);
    }

    public Uni<Activation> findInDomain(String domain, String registrationId) {
        return find("domain = ?1 and registrationId = ?2", domain, registrationId).firstResult();
    }

    public Uni<Activation> lock(String registrationId) {
        return find("registrationId", registrationId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }
}
