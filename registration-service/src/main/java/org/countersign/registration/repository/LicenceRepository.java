package org.countersign.registration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;
import org.countersign.registration.domain.Licence;

@ApplicationScoped
@WithSession
public class LicenceRepository implements PanacheRepositoryBase<Licence, UUID> {

    public Uni<Licence> findInDomain(String domain, String serialNumber) {
        return find("domain = ?1 and serialNumber = ?2", domain, serialNumber).firstResult();
    }

    /** The licence, locked until the transaction ends, so that its accounting cannot race. */
    public Uni<Licence> lockInDomain(String domain, String serialNumber) {
        return find("domain = ?1 and serialNumber = ?2", domain, serialNumber)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Licence> lockById(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * A free licence of a type, locked; licences another transaction holds are skipped rather than
     * waited for, so that parallel registrations take different licences.
     */
    public Uni<Licence> lockFree(String domain, String authenticatorType) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT * FROM licences WHERE domain = ?1 AND authenticator_type = ?2 AND status = 'ACTIVE'"
                                + " AND assigned_user_id IS NULL AND activations_used + activations_reserved < max_activations"
                                + " ORDER BY serial_number LIMIT 1 FOR UPDATE SKIP LOCKED", Licence.class)
                .setParameter(1, domain).setParameter(2, authenticatorType)
                .getResultList()).map(list -> list.isEmpty() ? null : list.get(0));
    }

    public Uni<List<Licence>> search(String domain, String type, String status, String userId, int page, int size) {
        StringBuilder query = new StringBuilder("domain = :domain");
        io.quarkus.panache.common.Parameters params = io.quarkus.panache.common.Parameters.with("domain", domain);
        if (type != null) {
            query.append(" and authenticatorType = :type");
            params.and("type", type);
        }
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", org.countersign.registration.domain.LicenceStatus.valueOf(status));
        }
        if (userId != null) {
            query.append(" and assignedUserId = :userId");
            params.and("userId", userId);
        }
        return find(query + " order by serialNumber", params).page(page, size).list();
    }

    public Uni<List<Licence>> listAssigned(String domain, String userId) {
        return list("domain = ?1 and assignedUserId = ?2 order by serialNumber", domain, userId);
    }
}
