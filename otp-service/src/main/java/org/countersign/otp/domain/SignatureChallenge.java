package org.countersign.otp.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An offline signing challenge (protocol.md, "Offline transaction signing"): which instance of which
 * user is to sign, and the dataHash of what it is to sign. Never the response, nor the message and
 * fields in clear.
 */
@Entity
@Table(name = "signature_challenges")
public class SignatureChallenge {

    public static final String PENDING = "PENDING";
    public static final String APPROVED = "APPROVED";

    /** {@code cid}. */
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

    @Column(name = "instance_id", nullable = false, length = 64)
    public String instanceId;

    @Column(name = "data_hash", nullable = false, length = 43)
    public String dataHash;

    /** PENDING until a right response approves it. */
    @Column(nullable = false, length = 16)
    public String status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "closed_at")
    public Instant closedAt;
}
