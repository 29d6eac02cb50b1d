package org.countersign.provisioning.config;

import jakarta.enterprise.inject.Produces;
import org.countersign.events.PurgeRule;

/**
 * What libs/events' housekeeping deletes here: activations that finished a while ago. The instances
 * they made stay; a registration closed before it was seen (a closed activation recorded from its
 * close event) is long expired by then, so its late RegistrationPending could still open nothing.
 */
public class PurgeRules {

    @Produces
    PurgeRule finishedActivations(ProvisioningConfig config) {
        return new PurgeRule("activations", "updated_at", "status IN ('ACTIVATED', 'FAILED', 'EXPIRED', 'CANCELLED')",
                config.finishedActivationRetention());
    }
}
