package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialStatus;

@ApplicationScoped
@WithSession
public class CredentialRepository implements PanacheRepositoryBase<Credential, UUID> {

    public Uni<List<Credential>> listActiveForUser(String domain, String userId) {
        return list("domain = ?1 and userId = ?2 and status = ?3", domain, userId, CredentialStatus.ACTIVE);
    }
}
