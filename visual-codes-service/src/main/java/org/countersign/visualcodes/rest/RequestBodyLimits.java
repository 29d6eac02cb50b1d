package org.countersign.visualcodes.rest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.countersign.visualcodes.config.VisualCodesConfig;
import org.countersign.web.Problem;
import org.countersign.web.ProblemType;
import org.countersign.web.ProblemResponses;

/**
 * The HTTP body limit of this service is raised for image uploads; every other request keeps a small
 * one, because a JSON body is parsed whole. Checked from Content-Length before the body is read.
 */
@ApplicationScoped
public class RequestBodyLimits {

    static final String DECODE_PATH = "/api/v1/visual-codes/decode";

    private final ProblemResponses responses;
    private final long maxJsonBody;

    public RequestBodyLimits(ProblemResponses responses, VisualCodesConfig config) {
        this.responses = responses;
        this.maxJsonBody = config.maxJsonBody().asLongValue();
    }

    void install(@Observes Router router) {
        // Right after libs/web's own check of the service-wide limit, before Quarkus reads any body.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !DECODE_PATH.equals(ctx.normalizedPath())) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > maxJsonBody) {
                Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than the "
                        + maxJsonBody + " bytes this service accepts outside image uploads", ctx.request().path());
                ctx.response().setStatusCode(problem.status())
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(responses.json(problem));
                return;
            }
        }
        ctx.next();
    }
}
