package org.countersign.registration.config;

import jakarta.enterprise.inject.Produces;
import org.countersign.events.PurgeRule;

/**
 * What libs/events' housekeeping deletes here: registrations that ended without an authenticator.
 * Activated and revoked ones stay: they are the record of which licence an authenticator used.
 */
public class PurgeRules {

    @Produces
    PurgeRule closedRegistrations(RegistrationConfig config) {
        return new PurgeRule("registrations", "closed_at", "status IN ('EXPIRED', 'CANCELLED', 'FAILED')",
                config.closedRetention());
    }
}
