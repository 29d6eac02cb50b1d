package org.countersign.portal.client;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.countersign.portal.domain.PendingApproval;
import org.countersign.portal.domain.PushDevice;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The push-service (push-service/README.md): a user's online devices as its helpdesk view lists them
 * ({@code GET /api/v1/devices?userId=}, scope push-admin), and the user's pending push requests
 * ({@code GET /api/v1/push/requests?userId=&status=pending}, scope push: the request status objects with
 * their message and fields, newest first).
 */
@RegisterRestClient(configKey = "push")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/api/v1")
interface PushRestClient {

    @GET
    @Path("/devices")
    Uni<List<PushDevice>> devices(@QueryParam("userId") String userId);

    @GET
    @Path("/push/requests")
    Uni<List<PendingApproval>> pending(@QueryParam("userId") String userId, @QueryParam("status") String status);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return Answers.failure(PushClient.SERVICE, response);
    }
}
