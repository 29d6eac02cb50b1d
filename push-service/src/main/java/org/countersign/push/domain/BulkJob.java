package org.countersign.push.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A bulk change of push settings; its user ids are its items (bulk_job_items), applied chunk by chunk. */
@Entity
@Table(name = "bulk_jobs")
public class BulkJob {

    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    /** Given up: a chunk failed {@code bulk.max-attempts} times in a row; {@link #failureReason} says why. */
    public static final String FAILED = "FAILED";
    /** The {@link #failureReason} of a job given up after its chunk kept failing (the replica's log has the cause). */
    public static final String APPLY_FAILED = "apply-failed";

    @Id
    @Column(length = 64)
    public String id;

    @Column(nullable = false, length = 253)
    public String domain;

    @Column(nullable = false)
    public boolean enabled;

    /** Null: each user keeps what it has (false for a user without settings). */
    @Column(name = "require_biometric")
    public Boolean requireBiometric;

    @Column(nullable = false)
    public int total;

    @Column(nullable = false)
    public int done;

    @Column(nullable = false)
    public int failed;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Failed attempts at a chunk in a row; a chunk applied resets it. */
    @Column(nullable = false)
    public int attempts;

    /** Why the job was given up ({@link #APPLY_FAILED}); null unless FAILED. */
    @Column(name = "failure_reason", length = 32)
    public String failureReason;
}
