package org.countersign.portal.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.countersign.portal.config.PortalConfig;
import org.countersign.portal.domain.Licence;
import org.countersign.portal.domain.NewRegistration;
import org.countersign.portal.domain.Policy;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Users' licences, the domain's policies, and registrations, through the registration-service. */
@ApplicationScoped
public class RegistrationClient {

    static final String SERVICE = "registration-service";

    private final RegistrationRestClient rest;
    private final Duration timeout;

    public RegistrationClient(@RestClient RegistrationRestClient rest, PortalConfig config) {
        this.rest = rest;
        this.timeout = config.services().timeout();
    }

    /** The licences assigned to the user; none for a user the service does not know yet. */
    public Uni<List<Licence>> licencesOf(String userId) {
        return Answers.guarded(SERVICE, timeout, rest.user(userId))
                .map(user -> user.licences() == null ? List.<Licence>of() : user.licences())
                .onFailure(e -> Answers.is(e, "unknown-user")).recoverWithItem(List.of());
    }

    public Uni<Policy> policy(String authenticatorType) {
        return Answers.guarded(SERVICE, timeout, rest.policy(authenticatorType));
    }

    /** A registration with the user's licence (serialNumber) or a free one of a type (authenticatorType). */
    public Uni<NewRegistration> register(String userId, String serialNumber, String authenticatorType, String activationType) {
        return Answers.guarded(SERVICE, timeout, rest.register(
                new RegistrationRestClient.RegisterBody(userId, serialNumber, authenticatorType, activationType, null)));
    }

    /** "Rescan Device": moves the user's active offline instance online. */
    public Uni<NewRegistration> registerMigration(String userId, String instanceId) {
        return Answers.guarded(SERVICE, timeout, rest.register(
                new RegistrationRestClient.RegisterBody(userId, null, null, "migrate", instanceId)));
    }

    /** Cancels a pending registration (its licence reservation is released); one already closed is left as it is. */
    public Uni<Void> cancel(String registrationId) {
        return Answers.guarded(SERVICE, timeout, rest.cancel(registrationId))
                .onFailure(e -> Answers.is(e, "registration-closed") || Answers.is(e, "unknown-registration"))
                .recoverWithNull();
    }
}
