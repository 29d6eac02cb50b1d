package org.countersign.push.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A user's push settings (seed 000: "Enable Mobile Push Authentication", "Require Biometric"). */
@Entity
@Table(name = "push_users")
@IdClass(PushUser.Key.class)
public class PushUser {

    /** The primary key: a user is a user id within a domain. */
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
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(domain, k.domain) && Objects.equals(userId, k.userId);
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

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "require_biometric", nullable = false)
    public boolean requireBiometric;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "deactivated_at")
    public Instant deactivatedAt;
}
