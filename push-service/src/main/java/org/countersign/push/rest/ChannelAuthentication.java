package org.countersign.push.rest;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.countersign.deviceauth.DeviceAuthProblem;
import org.countersign.deviceauth.DeviceAuthenticator;
import org.countersign.deviceauth.DeviceIdentity;
import org.countersign.push.service.ChannelService;
import org.countersign.web.Problem;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemResponses;
import org.countersign.web.ProblemType;

/**
 * Authenticates the channel's upgrade request with the device token (protocol.md, "Device
 * authentication"), before the WebSocket handshake: a refusal is the same 401 problem+json as on every
 * device route. A Vert.x route in front of the WebSocket one checks the token; the upgrade check then
 * hands the device's identity to the connection (its user data), and lets no upgrade through that the
 * route did not authenticate.
 */
@ApplicationScoped
public class ChannelAuthentication implements HttpUpgradeCheck {

    static final UserData.TypedKey<DeviceIdentity> DEVICE = new UserData.TypedKey<>("countersign.device");

    private final DeviceAuthenticator authenticator;
    private final ProblemResponses problems;
    private final Map<HttpServerRequest, DeviceIdentity> authenticated = new ConcurrentHashMap<>();

    public ChannelAuthentication(DeviceAuthenticator authenticator, ProblemResponses problems) {
        this.authenticator = authenticator;
        this.problems = problems;
    }

    void install(@Observes Router router) {
        router.route(ChannelService.PATH).order(-100).handler(this::authenticate);
    }

    private void authenticate(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION)).subscribe().with(identity -> {
            authenticated.put(request, identity);
            ctx.addEndHandler(v -> authenticated.remove(request));
            ctx.next();
        }, failure -> {
            ProblemException problem = failure instanceof ProblemException p ? p
                    : new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "Device tokens cannot be checked right now; try again");
            if (!(failure instanceof ProblemException)) {
                org.jboss.logging.Logger.getLogger(ChannelAuthentication.class).warnf("Channel upgrade not authenticated: %s",
                        failure.toString());
            }
            ctx.response().setStatusCode(problem.kind().status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            problem.headers().forEach((name, value) -> ctx.response().putHeader(name, value));
            ctx.response().end(problems.json(Problem.of(problem.kind(), problem.getMessage(), ChannelService.PATH)));
        });
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        DeviceIdentity identity = authenticated.remove(context.httpRequest());
        if (identity == null) {
            return CheckResult.rejectUpgrade(DeviceAuthProblem.INVALID_DEVICE_TOKEN.status(),
                    Map.of("WWW-Authenticate", List.of("Bearer error=\"invalid_token\"")));
        }
        context.userData().put(DEVICE, identity);
        return CheckResult.permitUpgrade();
    }
}
