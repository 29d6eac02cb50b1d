package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.countersign.otp.config.OfflineConfig;
import org.countersign.otp.domain.OfflinePolicy;

/** A domain's offline-data policy, kept in domain_settings beside its other settings; NULL columns are the defaults. */
@ApplicationScoped
public class OfflinePolicyRepository {

    private final OfflineConfig defaults;

    public OfflinePolicyRepository(OfflineConfig defaults) {
        this.defaults = defaults;
    }

    /** The domain's policy, with the service's defaults where it set nothing. */
    public Uni<OfflinePolicy> effective(String domain) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "SELECT offline_enabled, offline_max_days, offline_iterations, offline_admins_may_force"
                                + " FROM domain_settings WHERE domain = ?1", Object[].class)
                .setParameter(1, domain).getResultList())
                .map(rows -> {
                    Object[] row = rows.isEmpty() ? new Object[4] : rows.get(0);
                    return new OfflinePolicy(
                            row[0] == null ? defaults.enabled() : (Boolean) row[0],
                            row[1] == null ? defaults.maxDays() : ((Number) row[1]).intValue(),
                            row[2] == null ? defaults.iterations() : ((Number) row[2]).intValue(),
                            row[3] == null ? defaults.adminsMayForce() : (Boolean) row[3]);
                });
    }

    /** Sets all four (null: back to the default), in one upsert that leaves the domain's other settings alone. */
    public Uni<Void> set(String domain, Boolean enabled, Integer maxDays, Integer iterations, Boolean adminsMayForce, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO domain_settings (domain, offline_enabled, offline_max_days, offline_iterations,"
                                + " offline_admins_may_force, updated_at) VALUES (?1, CAST(?2 AS boolean), CAST(?3 AS integer),"
                                + " CAST(?4 AS integer), CAST(?5 AS boolean), ?6) ON CONFLICT (domain) DO UPDATE SET"
                                + " offline_enabled = EXCLUDED.offline_enabled, offline_max_days = EXCLUDED.offline_max_days,"
                                + " offline_iterations = EXCLUDED.offline_iterations,"
                                + " offline_admins_may_force = EXCLUDED.offline_admins_may_force, updated_at = EXCLUDED.updated_at")
                .setParameter(1, domain).setParameter(2, enabled).setParameter(3, maxDays).setParameter(4, iterations)
                .setParameter(5, adminsMayForce).setParameter(6, now).executeUpdate())
                .replaceWithVoid();
    }
}
