package org.countersign.registration.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.countersign.protocol.EnrolmentMessage;

/**
 * Refuses to start with a provisioning URL that enrolment URIs cannot carry: found at start-up, a
 * typo in the deployment stops one pod, instead of turning every online registration into an error.
 */
@ApplicationScoped
public class ProvisioningUrlCheck {

    void check(@Observes StartupEvent event, RegistrationConfig config) {
        if (!EnrolmentMessage.isBaseUrl(config.provisioningUrl())) {
            throw new IllegalStateException("countersign.registration.provisioning-url (COUNTERSIGN_REGISTRATION_PROVISIONING_URL)"
                    + " must be an absolute http or https URL with a host and no query, fragment or user information,"
                    + " as devices post to it: " + config.provisioningUrl());
        }
    }
}
