package org.countersign.otp.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Something a user can prove possession of with an OTP: an activated instance or an imported token. */
@Entity
@Table(name = "credentials")
public class Credential {

    @Id
    public UUID id;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "serial_number", nullable = false, length = 64)
    public String serialNumber;

    /** Absent for tokens imported from PSKC, which have no instance. */
    @Column(name = "instance_id", length = 64)
    public String instanceId;

    /** The protocol.md parameter string, e.g. {@code totp:sha1:6:30}. */
    @Column(name = "otp_policy", nullable = false, length = 32)
    public String otpPolicy;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public CredentialStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
