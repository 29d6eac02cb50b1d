package org.countersign.portal.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.countersign.portal.domain.Licence;
import org.countersign.portal.domain.NewRegistration;
import org.countersign.portal.domain.Policy;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The registration-service's public API (registration-service/README.md), as far as the portal uses it. */
@RegisterRestClient(configKey = "registration")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/api/v1")
interface RegistrationRestClient {

    /** The part of {@code GET /users/{userId}} the portal reads. */
    record UserBody(String userId, List<Licence> licences) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RegisterBody(String userId, String serialNumber, String authenticatorType, String activationType, String instanceId) {
    }

    @GET
    @Path("/users/{userId}")
    Uni<UserBody> user(@PathParam("userId") String userId);

    @GET
    @Path("/policies/{authenticatorType}")
    Uni<Policy> policy(@PathParam("authenticatorType") String authenticatorType);

    @POST
    @Path("/users/register")
    Uni<NewRegistration> register(RegisterBody body);

    @DELETE
    @Path("/registrations/{registrationId}")
    Uni<Void> cancel(@PathParam("registrationId") String registrationId);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return Answers.failure(RegistrationClient.SERVICE, response);
    }
}
