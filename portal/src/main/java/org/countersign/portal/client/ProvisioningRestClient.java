package org.countersign.portal.client;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.countersign.portal.domain.ActivationState;
import org.countersign.portal.domain.AddedDevice;
import org.countersign.portal.domain.Instance;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The provisioning-service's public API (provisioning-service/README.md), as far as the portal uses it. */
@RegisterRestClient(configKey = "provisioning")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/api/v1")
interface ProvisioningRestClient {

    record DeviceCodeBody(String deviceCode) {
        @Override
        public String toString() {
            return "DeviceCodeBody[hidden]";
        }
    }

    record ActivateBody(String deviceCode, String signature) {
        @Override
        public String toString() {
            return "ActivateBody[hidden]";
        }
    }

    record OtpBody(String otp) {
        @Override
        public String toString() {
            return "OtpBody[hidden]";
        }
    }

    @POST
    @Path("/registrations/{registrationId}/device")
    Uni<AddedDevice> addDevice(@PathParam("registrationId") String registrationId, DeviceCodeBody body);

    @POST
    @Path("/registrations/{registrationId}/activate")
    Uni<Instance> activate(@PathParam("registrationId") String registrationId, ActivateBody body);

    @POST
    @Path("/registrations/{registrationId}/confirm-otp")
    Uni<Instance> confirmOtp(@PathParam("registrationId") String registrationId, OtpBody body);

    @GET
    @Path("/registrations/{registrationId}/activation")
    Uni<ActivationState> activation(@PathParam("registrationId") String registrationId);

    @GET
    @Path("/instances")
    Uni<List<Instance>> instances(@QueryParam("userId") String userId);

    @GET
    @Path("/instances/{instanceId}")
    Uni<Instance> instance(@PathParam("instanceId") String instanceId);

    @DELETE
    @Path("/instances/{instanceId}")
    Uni<Void> revoke(@PathParam("instanceId") String instanceId);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return Answers.failure(ProvisioningClient.SERVICE, response);
    }
}
