package org.countersign.registration.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A serial number a tenant may activate authenticators with, and how many activations it has left. */
@Entity
@Table(name = "licences")
public class Licence {

    @Id
    public UUID id;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(name = "serial_number", nullable = false, length = 64)
    public String serialNumber;

    @Column(name = "authenticator_type", nullable = false, length = 32)
    public String authenticatorType;

    @Enumerated(EnumType.STRING)
    @Column(name = "licence_model", nullable = false, length = 3)
    public LicenceModel licenceModel;

    @Column(name = "max_activations", nullable = false)
    public int maxActivations;

    @Column(name = "activations_used", nullable = false)
    public int activationsUsed;

    @Column(name = "activations_reserved", nullable = false)
    public int activationsReserved;

    @Column(name = "assigned_user_id")
    public String assignedUserId;

    @Column(nullable = false, length = 8)
    public String source;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public LicenceStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean hasActivationLeft() {
        return status == LicenceStatus.ACTIVE && activationsUsed + activationsReserved < maxActivations;
    }

    public int activationsLeft() {
        return Math.max(0, maxActivations - activationsUsed - activationsReserved);
    }
}
