package org.countersign.registration.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.countersign.registration.domain.ActivationType;
import org.countersign.registration.service.PolicyService;
import org.countersign.web.Caller;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A domain's policy per authenticator type. */
@Path("/api/v1/policies/{authenticatorType}")
@Tag(name = "policies")
@RolesAllowed({"registration", Caller.ADMIN_SCOPE})
@Produces(MediaType.APPLICATION_JSON)
@CommonProblems
public class PolicyResource {

    private final PolicyService policies;
    private final Caller caller;

    public PolicyResource(PolicyService policies, Caller caller) {
        this.policies = policies;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The effective policy (the defaults when the domain set none)")
    @APIResponse(responseCode = "200", description = "The policy")
    public Uni<PolicyRequest> get(@PathParam("authenticatorType") @Pattern(regexp = Patterns.TYPE) String type,
                                  @QueryParam("domain") String domain) {
        return policies.rules(caller.actingDomain(domain), type).map(PolicyResource::toBody);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the policy of an authenticator type")
    @APIResponse(responseCode = "200", description = "The policy")
    public Uni<PolicyRequest> put(@PathParam("authenticatorType") @Pattern(regexp = Patterns.TYPE) String type,
                                  @NotNull @Valid PolicyRequest request, @QueryParam("domain") String domain) {
        Duration lifetime;
        try {
            lifetime = Duration.parse(request.registrationLifetime());
        } catch (java.time.format.DateTimeParseException e) {
            throw new ProblemException(ProblemType.VALIDATION, "registrationLifetime must be an ISO 8601 duration from PT1M to P30D");
        }
        if (lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(Duration.ofDays(30)) > 0) {
            throw new ProblemException(ProblemType.VALIDATION, "registrationLifetime must be from PT1M to P30D");
        }
        PolicyService.Rules rules = new PolicyService.Rules(request.maxAuthenticatorsPerUser(), lifetime,
                request.activationTypes().stream().distinct().map(ActivationType::fromWire).toList());
        return policies.put(caller.actingDomain(domain), type, rules).map(PolicyResource::toBody);
    }

    private static PolicyRequest toBody(PolicyService.Rules rules) {
        return new PolicyRequest(rules.maxAuthenticatorsPerUser(), rules.registrationLifetime().toString(),
                rules.activationTypes().stream().map(ActivationType::wire).toList());
    }
}
