package org.countersign.push.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import org.countersign.push.domain.PushUser;

@ApplicationScoped
@WithSession
public class PushUserRepository implements PanacheRepositoryBase<PushUser, PushUser.Key> {

    public Uni<PushUser> findSettings(String domain, String userId) {
        return findById(new PushUser.Key(domain, userId));
    }

    public Uni<PushUser> lock(String domain, String userId) {
        return findById(new PushUser.Key(domain, userId), LockModeType.PESSIMISTIC_WRITE);
    }

    /** The settings of those of the users that have any, locked. */
    public Uni<List<PushUser>> lockAll(String domain, Collection<String> userIds) {
        return find("domain = ?1 and userId in ?2", domain, userIds).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
