package org.countersign.registration.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An open invitation for one user to activate one authenticator with one licence. */
@Entity
@Table(name = "registrations")
public class Registration {

    @Id
    @Column(length = 64)
    public String id;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "licence_id", nullable = false)
    public UUID licenceId;

    @Column(name = "serial_number", nullable = false, length = 64)
    public String serialNumber;

    @Column(name = "authenticator_type", nullable = false, length = 32)
    public String authenticatorType;

    /** Stored as the wire value (offline, online, migrate, otpauth). */
    @Column(name = "activation_type", nullable = false, length = 8)
    public String activationType;

    @Column(name = "instance_id", length = 64)
    public String instanceId;

    /** The OTP parameters of a stock authenticator app's key (otpauth only). */
    @Column(length = 32)
    public String otp;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public RegistrationStatus status;

    /** The activation password sealed under the service's at-rest key (SealedValue text). */
    @Column(name = "sealed_activation_password", nullable = false)
    public String sealedActivationPassword;

    /**
     * The activation password as RegistrationPending carried it, sealed to the provisioning-service's
     * public key (SealedValue text); this service cannot open it. Null for rows older than the column.
     */
    @Column(name = "activation_password_for_provisioning")
    public String activationPasswordForProvisioning;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "closed_at")
    public Instant closedAt;
}
