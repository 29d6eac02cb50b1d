package org.countersign.portal.client;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The visual-codes-service's rendering (visual-codes-service/README.md): POST, since the messages are secrets. */
@RegisterRestClient(configKey = "visual-codes")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/api/v1/visual-codes")
interface VisualCodesRestClient {

    record RenderBody(String message, String format, String output, int size) {
        @Override
        public String toString() {
            return "RenderBody[" + format + "]";
        }
    }

    @POST
    @Produces("image/png")
    Uni<byte[]> render(RenderBody body);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return Answers.failure(VisualCodesClient.SERVICE, response);
    }
}
