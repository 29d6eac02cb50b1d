package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.countersign.otp.domain.DomainSettings;

@ApplicationScoped
@WithSession
public class DomainSettingsRepository implements PanacheRepositoryBase<DomainSettings, String> {

    /** Sets the domain's permanent-lock rule (null: locks stay temporary), in one upsert. */
    public Uni<Void> setPermanentLockAfter(String domain, Integer permanentLockAfter, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO domain_settings (domain, permanent_lock_after, updated_at) VALUES (?1, CAST(?2 AS integer), ?3)"
                                + " ON CONFLICT (domain) DO UPDATE SET permanent_lock_after = CAST(?2 AS integer), updated_at = ?3")
                .setParameter(1, domain).setParameter(2, permanentLockAfter).setParameter(3, now).executeUpdate())
                .replaceWithVoid();
    }
}
