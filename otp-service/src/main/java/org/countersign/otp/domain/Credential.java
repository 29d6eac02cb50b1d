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

    /** The user of an activated instance; absent for an imported token, whose licence says who holds it. */
    @Column(name = "user_id")
    public String userId;

    @Column(name = "serial_number", nullable = false, length = 64)
    public String serialNumber;

    /** Absent for tokens imported from PSKC, which have no instance. */
    @Column(name = "instance_id", length = 64)
    public String instanceId;

    /** The protocol.md parameter string, e.g. {@code totp:sha1:6:30}; absent for OCRA tokens. */
    @Column(name = "otp_policy", length = 32)
    public String otpPolicy;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    public CredentialKind kind;

    /** The OTP key sealed under the at-rest key ({@code SealedValue} text); never in clear. */
    @Column(name = "sealed_secret", nullable = false)
    public String sealedSecret;

    /**
     * The instance secret IS sealed under the at-rest key (purpose {@code signing-instance-secret}),
     * from which K_tx and K_sign are derived for offline signing; absent for credentials that cannot
     * sign (imported tokens, instances provisioned before the service kept it).
     */
    @Column(name = "sealed_instance_secret")
    public String sealedInstanceSecret;

    @Column(name = "ocra_suite", length = 80)
    public String ocraSuite;

    /** The last TOTP step or HOTP counter accepted; -1 before the first. */
    @Column(name = "last_accepted", nullable = false)
    public long lastAccepted;

    /** Learned clock drift of a TOTP token, in steps. */
    @Column(nullable = false)
    public int drift;

    /** instance (activated through provisioning) or pskc (imported hardware token). */
    @Column(nullable = false, length = 16)
    public String source;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Failures (and attempts still being evaluated) in the current window. */
    @Column(name = "fail_count", nullable = false)
    public int failCount;

    @Column(name = "fail_window_start")
    public Instant failWindowStart;

    /** A temporary lock after too many failures. */
    @Column(name = "locked_until")
    public Instant lockedUntil;

    /** Temporary locks in a row, which pick the next one's duration (and, where the domain opted in, make it permanent). */
    @Column(name = "lock_count", nullable = false)
    public int lockCount;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public CredentialStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
