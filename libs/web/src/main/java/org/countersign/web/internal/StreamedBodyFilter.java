package org.countersign.web.internal;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Hands a body that {@link VertxProblemHandlers} read under its limit (one sent without a
 * Content-Length) to the resource, which would otherwise find the request already consumed.
 */
public class StreamedBodyFilter {

    @ServerRequestFilter(preMatching = true)
    public void useStreamedBody(ContainerRequestContext request, RoutingContext routing) {
        Buffer body = routing.get(VertxProblemHandlers.STREAMED_BODY);
        if (body != null) {
            request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
        }
    }
}
