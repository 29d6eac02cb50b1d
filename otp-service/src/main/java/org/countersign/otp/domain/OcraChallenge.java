package org.countersign.otp.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An OCRA challenge (RFC 6287): the question Q given to which token of which user, in which suite.
 * Never the response.
 */
@Entity
@Table(name = "ocra_challenges")
public class OcraChallenge {

    public static final String PENDING = "PENDING";
    public static final String ACCEPTED = "ACCEPTED";

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

    /** The suite Q was drawn for, as the credential had it then. */
    @Column(nullable = false, length = 80)
    public String suite;

    /** Q, in the suite's format. */
    @Column(nullable = false, length = 64)
    public String challenge;

    /** PENDING until a right response accepts it. */
    @Column(nullable = false, length = 16)
    public String status;

    /** The counter or time step of the accepted response; absent for plain suites and before acceptance. */
    @Column(name = "moving_factor")
    public Long movingFactor;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "closed_at")
    public Instant closedAt;
}
