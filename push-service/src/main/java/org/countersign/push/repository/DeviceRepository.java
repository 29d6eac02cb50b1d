package org.countersign.push.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.countersign.push.domain.Device;

@ApplicationScoped
@WithSession
public class DeviceRepository implements PanacheRepositoryBase<Device, String> {

    public Uni<List<Device>> listEnabledForUser(String domain, String userId) {
        return list("domain = ?1 and userId = ?2 and enabled = true", domain, userId);
    }
}
