package org.countersign.otp.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * What the otp-service keeps about a user besides credentials: the server PIN (as an Argon2id hash)
 * and the per-user throttle. Read here; every change is an atomic statement in UserRepository.
 */
@Entity
@Table(name = "users")
@IdClass(User.Key.class)
public class User {

    /** The primary key: a user is only ever named within a domain. */
    public static class Key implements Serializable {
        public String domain;
        public String userId;

        public Key() {
        }

        public Key(String domain, String userId) {
            this.domain = domain;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.domain.equals(domain) && key.userId.equals(userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(domain, userId);
        }
    }

    @Id
    @Column(length = 253)
    public String domain;

    @Id
    @Column(name = "user_id")
    public String userId;

    @Column(name = "pin_algorithm", length = 16)
    public String pinAlgorithm;

    @Column(name = "pin_hash")
    public byte[] pinHash;

    @Column(name = "pin_salt")
    public byte[] pinSalt;

    @Column(name = "pin_memory_kib")
    public Integer pinMemoryKib;

    @Column(name = "pin_iterations")
    public Integer pinIterations;

    @Column(name = "pin_parallelism")
    public Integer pinParallelism;

    @Column(name = "pin_updated_at")
    public Instant pinUpdatedAt;

    /** Failures (and attempts still being evaluated) in the current window. */
    @Column(name = "fail_count", nullable = false)
    public int failCount;

    @Column(name = "fail_window_start")
    public Instant failWindowStart;

    /** A temporary lock of the user after too many failures, whatever credential they named. */
    @Column(name = "locked_until")
    public Instant lockedUntil;

    /** Temporary locks in a row, which pick the next one's duration; a success starts afresh. */
    @Column(name = "lock_count", nullable = false)
    public int lockCount;

    @Column(name = "deactivated_at")
    public Instant deactivatedAt;

    /** The user's PIN hash; null when the user has no server PIN. */
    public PinHash pin() {
        if (pinHash == null) {
            return null;
        }
        return PinHash.of(new Argon2Parameters(pinMemoryKib, pinIterations, pinParallelism), pinSalt, pinHash);
    }

    @Override
    public String toString() {
        return "User[" + userId + "@" + domain + (pinHash == null ? "" : ", with PIN") + "]";
    }
}
