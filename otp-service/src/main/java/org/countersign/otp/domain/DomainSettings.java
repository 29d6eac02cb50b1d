package org.countersign.otp.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tenant's own settings of the otp-service; a domain without a row has the defaults. */
@Entity
@Table(name = "domain_settings")
public class DomainSettings {

    @Id
    @Column(length = 253)
    public String domain;

    /**
     * The n-th lock in a row of a credential is for good (only an admin lifts it); null, the default:
     * locks stay temporary and escalate.
     */
    @Column(name = "permanent_lock_after")
    public Integer permanentLockAfter;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
