package org.countersign.provisioning.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.countersign.provisioning.config.ProvisioningConfig;
import org.countersign.provisioning.domain.ProvisioningProblem;
import org.countersign.web.ProblemException;
import org.jboss.logging.Logger;

/**
 * Asks the registration-service about a registration whose event has not arrived yet. It calls with
 * the device caller's own bearer token, so registration-service applies the caller's domain and
 * scope itself and this service needs no credentials of its own.
 */
@ApplicationScoped
public class RegistrationClient {

    private static final Logger LOG = Logger.getLogger(RegistrationClient.class);

    private final WebClient client;
    private final ObjectMapper mapper;
    private final ProvisioningConfig config;

    public RegistrationClient(Vertx vertx, ObjectMapper mapper, ProvisioningConfig config) {
        this.client = WebClient.create(vertx);
        this.mapper = mapper;
        this.config = config;
    }

    /** The registration, or null when registration-service knows none of that id in the caller's domain. */
    public Uni<PendingRegistration> pendingActivation(String registrationId, String actingDomain, String bearerToken) {
        String url = config.registration().url() + "/api/v1/registrations/"
                + URLEncoder.encode(registrationId, StandardCharsets.UTF_8) + "/pending-activation?domain="
                + URLEncoder.encode(actingDomain, StandardCharsets.UTF_8);
        return client.getAbs(url).putHeader("Authorization", "Bearer " + bearerToken)
                .timeout(config.registration().timeout().toMillis()).send()
                .onFailure().transform(e -> {
                    LOG.warnf("registration-service unreachable for registration %s: %s", registrationId, e.toString());
                    return unavailable();
                })
                .map(response -> switch (response.statusCode()) {
                    case 200 -> read(response.bodyAsString());
                    case 404 -> null;
                    default -> {
                        LOG.warnf("registration-service answered %d for registration %s", response.statusCode(), registrationId);
                        throw unavailable();
                    }
                });
    }

    /**
     * Whether registration-service has a registration of this id, in any domain and state, asked without
     * a token (a device call without a bearer token has none to pass on).
     *
     * @return true or false; null when registration-service could not be asked or answered otherwise
     */
    public Uni<Boolean> exists(String registrationId) {
        String url = config.registration().url() + "/api/v1/registrations/"
                + URLEncoder.encode(registrationId, StandardCharsets.UTF_8) + "/existence";
        return client.getAbs(url).timeout(config.registration().timeout().toMillis()).send()
                .map(response -> switch (response.statusCode()) {
                    case 204 -> Boolean.TRUE;
                    case 404 -> Boolean.FALSE;
                    default -> {
                        LOG.warnf("registration-service answered %d to whether registration %s exists", response.statusCode(),
                                registrationId);
                        yield null;
                    }
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("registration-service unreachable to ask whether registration %s exists: %s", registrationId,
                            e.toString());
                    return null;
                });
    }

    private PendingRegistration read(String json) {
        try {
            return mapper.readValue(json, PendingRegistration.class);
        } catch (Exception e) {
            LOG.warnf("registration-service sent an unreadable registration: %s", e.getClass().getSimpleName());
            throw unavailable();
        }
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProvisioningProblem.REGISTRATION_UNAVAILABLE,
                "The registration is not known here yet and registration-service could not be asked; try again shortly");
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
