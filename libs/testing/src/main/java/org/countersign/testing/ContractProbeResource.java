package org.countersign.testing;

import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A JSON endpoint that exists only on test classpaths, so that the request-body contract (malformed
 * JSON, wrong types, unknown fields, validation, media type, size) is checked in every service
 * through the same mappers its real endpoints use, before a service has endpoints of its own.
 */
@Path("/api/v1/contract-probe")
public class ContractProbeResource {

    public record ProbeRequest(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9-]{1,64}") String name,
            @Min(1) @Max(10) int count) {
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public ProbeRequest echo(@NotNull @Valid ProbeRequest request) {
        return request;
    }
}
