package org.countersign.otp.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Who holds each licence, as registration-service reported it: an imported token verifies for the
 * holder of its licence only. Changes of one licence arrive in order (they are keyed by licence),
 * and each statement also refuses to go back in time, for events written before that key was used.
 */
@ApplicationScoped
public class LicenceOwnerRepository {

    /** The licence is the user's from {@code assignedAt}, unless a later assignment is already known. */
    public Uni<Void> assign(String domain, String serialNumber, String userId, Instant assignedAt) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO licence_owners (domain, serial_number, user_id, assigned_at) VALUES (?1, ?2, ?3, ?4)"
                                + " ON CONFLICT (domain, serial_number) DO UPDATE SET user_id = ?3, assigned_at = ?4"
                                + " WHERE licence_owners.assigned_at <= ?4")
                .setParameter(1, domain).setParameter(2, serialNumber).setParameter(3, userId).setParameter(4, assignedAt)
                .executeUpdate()).replaceWithVoid();
    }

    /** The user gives the licence back, unless it was assigned again (to anyone) after {@code releasedAt}. */
    public Uni<Void> release(String domain, String serialNumber, String userId, Instant releasedAt) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "DELETE FROM licence_owners WHERE domain = ?1 AND serial_number = ?2 AND user_id = ?3"
                                + " AND assigned_at <= ?4")
                .setParameter(1, domain).setParameter(2, serialNumber).setParameter(3, userId).setParameter(4, releasedAt)
                .executeUpdate()).replaceWithVoid();
    }
}
