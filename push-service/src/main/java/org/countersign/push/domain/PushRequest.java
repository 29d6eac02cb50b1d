package org.countersign.push.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A push request: what a user is asked to approve, the challenge the device signs, and, with number
 * matching, the options the device shows and the number the app shows. The message and fields are
 * kept only while it is pending.
 */
@Entity
@Table(name = "push_requests")
public class PushRequest {

    @Id
    @Column(length = 64)
    public String id;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column
    public String message;

    /** The fields as the JSON array the device receives, in order. */
    @Column
    public String fields;

    @Column(name = "data_hash", nullable = false, length = 43)
    public String dataHash;

    @Column(nullable = false, length = 43)
    public String challenge;

    @Column(name = "number_options", length = 32)
    public String numberOptions;

    @Column(name = "display_number")
    public Integer displayNumber;

    @Column(name = "require_biometric", nullable = false)
    public boolean requireBiometric;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public RequestStatus status;

    @Column(name = "deny_reason", length = 32)
    public String denyReason;

    /** The device that answered. */
    @Column(name = "instance_id", length = 64)
    public String instanceId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    public boolean numberMatching() {
        return numberOptions != null;
    }

    public List<Integer> numberOptionList() {
        return numberOptions == null ? null : Arrays.stream(numberOptions.split(",")).map(Integer::valueOf).toList();
    }

    /** Pending by its status, but past its time: it is expired, whether or not that has been recorded yet. */
    public boolean isOverdue(Instant now) {
        return status == RequestStatus.PENDING && !now.isBefore(expiresAt);
    }
}
