package org.countersign.web.internal;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.countersign.web.Problem;
import org.countersign.web.ProblemResponses;
import org.countersign.web.ProblemType;
import org.countersign.web.ServiceIdentity;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The failures that never reach JAX-RS: a path that no resource serves, and anything that fails in
 * Vert.x before a resource runs (a body over the size limit, a broken request). They get the same
 * problem+json as everything else.
 *
 * <p>Body limits count what is actually read. A declared Content-Length over the limit is refused at
 * once; a body without one (chunked) is read here, counting bytes, refused as soon as it passes the
 * limit and otherwise handed to the resource whole ({@link StreamedBodyFilter}), so that no JSON or
 * PSKC parser ever sees more than the limit.
 */
@ApplicationScoped
public class VertxProblemHandlers {

    private static final Logger LOG = Logger.getLogger(VertxProblemHandlers.class);

    /** Where a streamed body read under its limit waits for {@link StreamedBodyFilter}. */
    static final String STREAMED_BODY = "countersign.streamed-body";

    private final ProblemResponses responses;
    private final long maxBodySize;
    private final long maxUploadSize;
    private final Set<String> uploadPaths;

    /** @param maxUploadSize Quarkus' limit, which also bounds bodies that come without a Content-Length */
    public VertxProblemHandlers(ProblemResponses responses, ServiceIdentity service,
                                @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxUploadSize) {
        this.responses = responses;
        this.maxUploadSize = maxUploadSize.asLongValue();
        this.maxBodySize = Math.min(service.maxBodySize().asLongValue(), this.maxUploadSize);
        this.uploadPaths = Set.copyOf(service.uploadPaths().orElse(List.of()));
    }

    void install(@Observes Router router) {
        // Quarkus answers an over-long Content-Length itself (route order -2) with an empty 413, and
        // cuts a chunked body only at quarkus.http.limits.max-body-size (the upload limit); we check
        // first, against the limit of the path, so that the answer is a problem like every other one.
        router.route().order(Integer.MIN_VALUE).handler(this::oneAuthorization);
        router.route().order(Integer.MIN_VALUE).handler(this::limitBody);
        router.route().order(Integer.MAX_VALUE).handler(this::notFound);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
    }

    /**
     * Authorization is a singleton field (RFC 9110): with two, which credentials the request carries is
     * ambiguous, and the framework would silently use the first.
     */
    private void oneAuthorization(RoutingContext ctx) {
        if (ctx.request().headers().getAll(HttpHeaders.AUTHORIZATION).size() > 1) {
            write(ctx, ProblemType.BAD_REQUEST, "A request carries at most one Authorization header");
        } else {
            ctx.next();
        }
    }

    private void limitBody(RoutingContext ctx) {
        long limit = uploadPaths.contains(ctx.normalizedPath()) ? maxUploadSize : maxBodySize;
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    tooLarge(ctx, limit);
                    return;
                }
            } catch (NumberFormatException e) {
                write(ctx, ProblemType.BAD_REQUEST, "The Content-Length header is not a number");
                return;
            }
            ctx.next();
        } else if (ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            readStreamed(ctx, limit);
        } else {
            ctx.next();
        }
    }

    /** Reads a body that came without a length, counting its bytes; refused the moment it passes the limit. */
    private void readStreamed(RoutingContext ctx, long limit) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.exceptionHandler(e -> {
            if (!refused[0] && !ctx.response().ended()) {
                ctx.fail(400, e);
            }
        });
        long[] discarded = {0};
        request.handler(chunk -> {
            if (refused[0]) {
                // Read on a little after the answer, so that the client, still sending, gets to read it;
                // then the connection goes, as an endless body must not hold it.
                discarded[0] += chunk.length();
                if (discarded[0] > limit) {
                    request.connection().close();
                }
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                refused[0] = true;
                tooLarge(ctx, limit);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                ctx.put(STREAMED_BODY, body);
                ctx.next();
            } else {
                request.connection().close();
            }
        });
        if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            ctx.response().writeContinue();
        }
    }

    private void tooLarge(RoutingContext ctx, long limit) {
        write(ctx, ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than the " + limit
                + " bytes this service accepts here");
    }

    private void notFound(RoutingContext ctx) {
        write(ctx, ProblemType.NOT_FOUND, ProblemExceptionMappers.detailFor(ProblemType.NOT_FOUND));
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        if (status < 400 || status >= 500) {
            if (ctx.failure() != null && isSecurityFailure(ctx.failure())) {
                // Quarkus' own security handler answers these; leave them to it.
                ctx.next();
                return;
            }
            String incident = UUID.randomUUID().toString();
            LOG.errorf(ctx.failure(), "Unexpected failure before a resource ran, incident %s", incident);
            write(ctx, ProblemType.INTERNAL, "An unexpected error occurred; quote incident " + incident);
            return;
        }
        ProblemType type = ProblemType.forStatus(status);
        write(ctx, type, ProblemExceptionMappers.detailFor(type));
    }

    private static boolean isSecurityFailure(Throwable failure) {
        return failure.getClass().getName().startsWith("io.quarkus.security.");
    }

    private void write(RoutingContext ctx, ProblemType type, String detail) {
        Problem problem = Problem.of(type, detail, ctx.request().path());
        ctx.response().setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (type == ProblemType.PAYLOAD_TOO_LARGE) {
            // The rest of an oversized body is not read; the connection cannot be reused.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response().end(responses.json(problem));
    }
}
