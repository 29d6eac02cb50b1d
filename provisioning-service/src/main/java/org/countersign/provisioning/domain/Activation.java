package org.countersign.provisioning.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One registration's way to an active instance. Secret columns hold sealed values only. */
@Entity
@Table(name = "activations")
public class Activation {

    @Id
    @Column(name = "registration_id", length = 64)
    public String registrationId;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "serial_number", nullable = false, length = 64)
    public String serialNumber;

    /** offline, online or migrate, as registration-service wrote it. */
    @Column(name = "activation_type", nullable = false, length = 16)
    public String activationType;

    @Column(name = "migrate_instance_id", length = 64)
    public String migrateInstanceId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ActivationStatus status;

    @Column(name = "sealed_activation_password")
    public String sealedActivationPassword;

    @Column(name = "instance_id", length = 64)
    public String instanceId;

    @Column(name = "sealed_device_code")
    public String sealedDeviceCode;

    @Column(name = "sealed_instance_secret")
    public String sealedInstanceSecret;

    @Column(length = 32)
    public String otp;

    @Column(name = "failed_attempts", nullable = false)
    public int failedAttempts;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Once over, the activation keeps no secret: the instance holds what it needs. */
    public void close(ActivationStatus finalStatus, Instant now) {
        status = finalStatus;
        sealedActivationPassword = null;
        sealedDeviceCode = null;
        sealedInstanceSecret = null;
        updatedAt = now;
    }
}
