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

    /**
     * A user id as this service accepts it: {@code Ids.USER_ID} (libs/web), and well-formed UTF-16 (no lone surrogate).
     * A lone surrogate has no UTF-8 form, so it reaches PostgreSQL as '?': two different ids would become one
     * key. A pair (an emoji, say) is one code point, not a surrogate, and is fine.
     */
    public static final String ID_PATTERN = "[^|\\s\\p{Cntrl}\\p{Cs}]{1,255}";

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
