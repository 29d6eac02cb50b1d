package org.countersign.web.internal;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.countersign.web.Problem;
import org.countersign.web.ProblemResponses;
import org.countersign.web.ProblemType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Answers what the HTTP decoder refuses before any route runs (a request line over
 * {@code quarkus.http.limits.max-initial-line-length}, headers over {@code max-header-size}, a
 * request that is not HTTP/1.1) with problem+json, instead of Vert.x's empty 414, 431 and 400.
 *
 * <p>Vert.x sends such requests to the server's {@code invalidRequestHandler}, never to the router;
 * Quarkus creates and starts its servers in one step and offers no hook to set that handler (neither
 * {@code HttpServerOptionsCustomizer}, which sees only options, nor {@code @Observes Router}). So once
 * the servers listen, this sets it, by reflection, on the connection handler each server hands its
 * new connections (Vert.x 4.5's {@code HttpServerWorker.connectionHandler}, an
 * {@code HttpServerConnectionHandler}). Should a Vert.x upgrade move those fields, a warning says so,
 * the empty answers come back, and the contract tests that every service runs fail.
 */
@ApplicationScoped
public class InvalidRequestProblems {

    private static final Logger LOG = Logger.getLogger(InvalidRequestProblems.class);
    private static final String QUARKUS_VERTICLE = "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle";
    private static final int ATTEMPTS = 100;

    private final Vertx vertx;
    private final ProblemResponses responses;
    private final int maxLine;
    private final long maxHeaders;
    private final Handler<HttpServerRequest> handler = this::answer;

    public InvalidRequestProblems(Vertx vertx, ProblemResponses responses,
                                  @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length", defaultValue = "4096") int maxLine,
                                  @ConfigProperty(name = "quarkus.http.limits.max-header-size", defaultValue = "20K") MemorySize maxHeaders) {
        this.vertx = vertx;
        this.responses = responses;
        this.maxLine = maxLine;
        this.maxHeaders = maxHeaders.asLongValue();
    }

    void onStart(@ObservesAsync HttpServerStart start) {
        install(ATTEMPTS);
    }

    /** Installs on every server; a server of Quarkus' still starting is tried again a little later. */
    private void install(int attemptsLeft) {
        boolean complete;
        try {
            complete = installOnce();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Cannot answer malformed HTTP requests with problem+json on this Vert.x (%s); they get empty answers",
                    e.toString());
            return;
        }
        if (!complete && attemptsLeft > 1) {
            vertx.setTimer(100, id -> install(attemptsLeft - 1));
        } else if (!complete) {
            LOG.warn("Some HTTP servers never finished starting; malformed requests to them get empty answers");
        }
    }

    private boolean installOnce() throws ReflectiveOperationException {
        VertxInternal internal = (VertxInternal) vertx;
        List<HttpServer> servers = new ArrayList<>();
        boolean allStarted = true;
        for (String id : internal.deploymentIDs()) {
            Deployment deployment = internal.getDeployment(id);
            if (deployment == null) {
                continue;
            }
            for (Verticle verticle : deployment.getVerticles()) {
                if (!verticle.getClass().getName().equals(QUARKUS_VERTICLE)) {
                    continue;
                }
                boolean started = false;
                for (Field field : verticle.getClass().getDeclaredFields()) {
                    if (HttpServer.class.isAssignableFrom(field.getType())) {
                        field.setAccessible(true);
                        HttpServer server = (HttpServer) field.get(verticle);
                        if (server != null) {
                            servers.add(server);
                            started = true;
                        }
                    }
                }
                // Quarkus fires HttpServerStart when its first verticle listens; one per event loop, the others
                // may not have made their servers yet. Each gets its share of the connections, so wait for it.
                allStarted &= started;
            }
        }
        if (servers.isEmpty()) {
            return false;
        }
        boolean complete = allStarted;
        for (HttpServer server : servers) {
            complete &= installOn(server);
        }
        return complete;
    }

    /** @return false when the server has not started listening yet */
    private boolean installOn(HttpServer server) throws ReflectiveOperationException {
        Object worker = read(TCPServerBase.class, server, "childHandler");
        if (worker == null) {
            return false;
        }
        Object connections = read(worker.getClass(), worker, "connectionHandler");
        Field invalid = connections.getClass().getDeclaredField("invalidRequestHandler");
        invalid.setAccessible(true);
        if (invalid.get(connections) != handler) {
            invalid.set(connections, handler);
        }
        return true;
    }

    private static Object read(Class<?> type, Object target, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }

    /** What Vert.x's default handler does, with a problem for a body. */
    private void answer(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Problem problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = Problem.of(ProblemType.URI_TOO_LONG, "The request line is longer than the " + maxLine
                    + " bytes this service reads", null);
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = Problem.of(ProblemType.HEADERS_TOO_LARGE, "The request headers are larger than the " + maxHeaders
                    + " bytes this service reads", null);
        } else {
            problem = Problem.of(ProblemType.BAD_REQUEST, "The request is not well-formed HTTP/1.1", null);
        }
        HttpServerResponse response = request.response();
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(responses.json(problem))
                .onComplete(done -> response.close());
    }
}
