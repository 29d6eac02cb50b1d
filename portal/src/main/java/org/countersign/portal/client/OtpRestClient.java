package org.countersign.portal.client;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.countersign.portal.domain.VerifyResult;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The otp-service's check of what a user typed (otp-service/README.md). */
@RegisterRestClient(configKey = "otp")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/api/v1/otp")
interface OtpRestClient {

    record VerifyBody(String userId, String credential) {
        @Override
        public String toString() {
            return "VerifyBody[" + userId + "]";
        }
    }

    @POST
    @Path("/verify")
    Uni<VerifyResult> verify(VerifyBody body);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return Answers.failure(OtpClient.SERVICE, response);
    }
}
