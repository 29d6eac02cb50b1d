package org.countersign.push.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A device that can receive push requests, identified by its authenticator instance. */
@Entity
@Table(name = "devices")
public class Device {

    @Id
    @Column(name = "instance_id", length = 64)
    public String instanceId;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Platform platform;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When the device last talked to us ("Last sync"). */
    @Column(name = "last_sync_at")
    public Instant lastSyncAt;
}
