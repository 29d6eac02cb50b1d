package org.countersign.otp.domain;

import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.UUID;

/**
 * What every challenge keeps: whose credential it was issued for, and its lifetime. It is answered
 * at most once; the response itself is never stored.
 */
@MappedSuperclass
public abstract class Challenge {

    @Id
    @Column(length = 64)
    public String id;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "credential_id", nullable = false)
    public UUID credentialId;

    @Column(name = "serial_number", nullable = false, length = 64)
    public String serialNumber;

    /** PENDING until a right response closes it. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ChallengeStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** Whether a verify naming {@code userId} (or no user) may see this challenge; others get a 404. */
    public boolean answerableBy(String userId) {
        return userId == null || userId.equals(this.userId);
    }
}
