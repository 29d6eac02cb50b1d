package org.countersign.provisioning.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import org.countersign.provisioning.domain.AuthenticatorInstance;

@ApplicationScoped
@WithSession
public class AuthenticatorInstanceRepository implements PanacheRepositoryBase<AuthenticatorInstance, String> {

    public Uni<AuthenticatorInstance> findInDomain(String domain, String instanceId) {
        return find("domain = ?1 and instanceId = ?2", domain, instanceId).firstResult();
    }

    /** In any domain: ids are unique across domains (a device's own calls name no domain). */
    public Uni<AuthenticatorInstance> findAnyDomain(String instanceId) {
        return findById(instanceId);
    }

    public Uni<AuthenticatorInstance> lockInDomain(String domain, String instanceId) {
        return find("domain = ?1 and instanceId = ?2", domain, instanceId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<List<AuthenticatorInstance>> listForUser(String domain, String userId) {
        return list("domain = ?1 and userId = ?2 order by createdAt", domain, userId);
    }
}
