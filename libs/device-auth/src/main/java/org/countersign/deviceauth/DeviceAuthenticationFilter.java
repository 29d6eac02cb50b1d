package org.countersign.deviceauth;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Runs the device check before every resource marked {@link DeviceAuthenticated}, and records who called. */
public class DeviceAuthenticationFilter {

    private final DeviceAuthenticator authenticator;
    private final CurrentDevice current;

    public DeviceAuthenticationFilter(DeviceAuthenticator authenticator, CurrentDevice current) {
        this.authenticator = authenticator;
        this.current = current;
    }

    @DeviceAuthenticated
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Void> authenticate(ContainerRequestContext request) {
        return authenticator.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION)).invoke(current::set).replaceWithVoid();
    }
}
