package org.countersign.otp.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A logon agent of a user and the offline data it was last given: which credential and steps, when
 * it may have the next, whether an admin forced that or revoked it, and what it reported. Never the
 * bundle's tags or salt, nor the PIN. Read here; every change is one statement in
 * OfflineAgentRepository.
 */
@Entity
@Table(name = "offline_agents")
@IdClass(OfflineAgent.Key.class)
public class OfflineAgent {

    /** An agent id names an agent within one user of one domain. */
    public static class Key implements Serializable {
        public String domain;
        public String userId;
        public String agentId;

        public Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.domain.equals(domain) && key.userId.equals(userId) && key.agentId.equals(agentId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(domain, userId, agentId);
        }
    }

    @Id
    @Column(length = 253)
    public String domain;

    @Id
    @Column(name = "user_id")
    public String userId;

    @Id
    @Column(name = "agent_id", length = 64)
    public String agentId;

    @Column(name = "credential_id", nullable = false)
    public UUID credentialId;

    @Column(name = "serial_number", nullable = false, length = 64)
    public String serialNumber;

    /** The bundle covers the TOTP steps [firstStep, endStep) of the credential. */
    @Column(name = "first_step", nullable = false)
    public long firstStep;

    @Column(name = "end_step", nullable = false)
    public long endStep;

    @Column(nullable = false)
    public int iterations;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "next_refresh_at", nullable = false)
    public Instant nextRefreshAt;

    /** An admin allowed the next refresh now, also after a revocation. */
    @Column(name = "refresh_forced_at")
    public Instant refreshForcedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "last_reported_step")
    public Long lastReportedStep;

    @Column(name = "reported_at")
    public Instant reportedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean forced() {
        return refreshForcedAt != null;
    }

    public boolean covers(long step) {
        return step >= firstStep && step < endStep;
    }
}
