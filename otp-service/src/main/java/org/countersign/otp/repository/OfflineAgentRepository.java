package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.countersign.otp.domain.OfflineAgent;

/** Logon agents and their offline data; every change is one conditional statement. */
@ApplicationScoped
@WithSession
public class OfflineAgentRepository implements PanacheRepositoryBase<OfflineAgent, OfflineAgent.Key> {

    public Uni<OfflineAgent> find(String domain, String userId, String agentId) {
        return find("domain = ?1 and userId = ?2 and agentId = ?3", domain, userId, agentId).firstResult();
    }

    /** Read for a change in the same transaction: a concurrent report or revocation waits for it. */
    public Uni<OfflineAgent> findForUpdate(String domain, String userId, String agentId) {
        return find("domain = ?1 and userId = ?2 and agentId = ?3", domain, userId, agentId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<List<OfflineAgent>> listForUser(String domain, String userId) {
        return list("domain = ?1 and userId = ?2 order by issuedAt", domain, userId);
    }

    /**
     * Records a new bundle for the agent, only if it may have one: it is new, or (not revoked, or an
     * admin forced a refresh) and (forced, or for another credential, or the day is over). Two
     * refreshes at the same moment cannot both pass: the row decides.
     *
     * @return whether the bundle may be handed out
     */
    public Uni<Boolean> issue(String domain, String userId, String agentId, UUID credentialId, String serialNumber,
                              long firstStep, long endStep, int iterations, Instant now, Instant nextRefreshAt) {
        return getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO offline_agents AS a (domain, user_id, agent_id, credential_id, serial_number, first_step,"
                                + " end_step, iterations, issued_at, next_refresh_at, updated_at)"
                                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9)"
                                + " ON CONFLICT (domain, user_id, agent_id) DO UPDATE SET credential_id = EXCLUDED.credential_id,"
                                + " serial_number = EXCLUDED.serial_number, first_step = EXCLUDED.first_step,"
                                + " end_step = EXCLUDED.end_step, iterations = EXCLUDED.iterations, issued_at = EXCLUDED.issued_at,"
                                + " next_refresh_at = EXCLUDED.next_refresh_at, refresh_forced_at = NULL, revoked_at = NULL,"
                                + " last_reported_step = NULL, reported_at = NULL, updated_at = EXCLUDED.updated_at"
                                + " WHERE (a.revoked_at IS NULL OR a.refresh_forced_at IS NOT NULL)"
                                + " AND (a.refresh_forced_at IS NOT NULL OR a.credential_id <> EXCLUDED.credential_id"
                                + " OR a.next_refresh_at <= EXCLUDED.issued_at)")
                .setParameter(1, domain).setParameter(2, userId).setParameter(3, agentId).setParameter(4, credentialId)
                .setParameter(5, serialNumber).setParameter(6, firstStep).setParameter(7, endStep).setParameter(8, iterations)
                .setParameter(9, now).setParameter(10, nextRefreshAt).executeUpdate())
                .map(rows -> rows == 1);
    }

    /** @return whether this call revoked it (false: already revoked, or no such agent) */
    public Uni<Boolean> revoke(String domain, String userId, String agentId, Instant now) {
        return update("revokedAt = ?1, refreshForcedAt = null, updatedAt = ?1 where domain = ?2 and userId = ?3"
                + " and agentId = ?4 and revokedAt is null", now, domain, userId, agentId).map(rows -> rows == 1);
    }

    /** An admin allows the next refresh now (also after a revocation). @return whether there was such an agent */
    public Uni<Boolean> forceRefresh(String domain, String userId, String agentId, Instant now) {
        return update("refreshForcedAt = ?1, updatedAt = ?1 where domain = ?2 and userId = ?3 and agentId = ?4",
                now, domain, userId, agentId).map(rows -> rows == 1);
    }

    public Uni<Void> reported(OfflineAgent agent, long lastStep, Instant now) {
        return update("lastReportedStep = ?1, reportedAt = ?2, updatedAt = ?2 where domain = ?3 and userId = ?4"
                        + " and agentId = ?5 and (lastReportedStep is null or lastReportedStep < ?1)", lastStep, now,
                agent.domain, agent.userId, agent.agentId).replaceWithVoid();
    }

    /**
     * Moves a credential's replay state to {@code step}, never backwards: the steps an agent accepted
     * offline are then refused online, as if they had been accepted there. Only the replay state
     * changes; failures and locks are the online checks' business.
     *
     * @return whether it moved
     */
    public Uni<Boolean> advanceReplayState(UUID credentialId, long step, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE credentials SET last_accepted = ?1, updated_at = ?2 WHERE id = ?3 AND last_accepted < ?1")
                .setParameter(1, step).setParameter(2, now).setParameter(3, credentialId).executeUpdate())
                .map(rows -> rows == 1);
    }
}
