package org.countersign.registration.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A tenant's rules for one authenticator type. */
@Entity
@Table(name = "policies")
public class Policy {

    @EmbeddedId
    public Key key;

    @Column(name = "max_authenticators_per_user", nullable = false)
    public int maxAuthenticatorsPerUser;

    @Column(name = "registration_lifetime_seconds", nullable = false)
    public int registrationLifetimeSeconds;

    /** Comma-separated wire values, e.g. {@code offline,online}. */
    @Column(name = "activation_types", nullable = false, length = 32)
    public String activationTypes;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Embeddable
    public static class Key implements Serializable {
        @Column(nullable = false, length = 253)
        public String domain;

        @Column(name = "authenticator_type", nullable = false, length = 32)
        public String authenticatorType;

        public Key() {
        }

        public Key(String domain, String authenticatorType) {
            this.domain = domain;
            this.authenticatorType = authenticatorType;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && domain.equals(that.domain) && authenticatorType.equals(that.authenticatorType);
        }

        @Override
        public int hashCode() {
            return Objects.hash(domain, authenticatorType);
        }
    }
}
