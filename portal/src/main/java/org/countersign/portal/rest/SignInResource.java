package org.countersign.portal.rest;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.countersign.portal.service.SessionService;
import org.countersign.portal.service.SignInOutcome;
import org.jboss.resteasy.reactive.RestForm;

/** Sign-in with a user id and a code (OTP, or PIN then OTP), checked by the otp-service; sign-out. */
@Path("/")
@Produces(Browser.HTML)
public class SignInResource {

    private final Browser browser;
    private final SessionService sessions;

    public SignInResource(Browser browser, SessionService sessions) {
        this.browser = browser;
        this.sessions = sessions;
    }

    @GET
    public Uni<Response> start(@Context HttpServerRequest request) {
        return browser.current(request).map(current ->
                browser.redirect(request, current, current.signedIn() ? "/devices" : "/sign-in"));
    }

    @GET
    @Path("sign-in")
    public Uni<Response> form(@Context HttpServerRequest request) {
        return browser.current(request).map(current -> current.signedIn() ? browser.redirect(request, current, "/devices")
                : browser.page(request, current, 200, Pages.signIn(browser.chrome(current), null, null)));
    }

    @POST
    @Path("sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signIn(@Context HttpServerRequest request, @RestForm("_csrf") String csrf, @RestForm String userId,
                                @RestForm String code) {
        return browser.current(request).chain(current -> sessions.signIn(current, csrf, userId, code).map(outcome -> {
            if (outcome.result() == SignInOutcome.Result.SIGNED_IN) {
                return browser.redirect(request, outcome.session(), "/devices");
            }
            String error = switch (outcome.result()) {
                case LOCKED -> Messages.signInLocked(outcome.retryAfterSeconds());
                case MALFORMED -> Messages.signInMalformed();
                default -> Messages.signInRejected();
            };
            int status = outcome.result() == SignInOutcome.Result.LOCKED ? 429 : 401;
            return browser.page(request, current, status, Pages.signIn(browser.chrome(current), userId, error));
        }));
    }

    @POST
    @Path("sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signOut(@Context HttpServerRequest request, @RestForm("_csrf") String csrf) {
        return browser.signedIn(request).chain(current -> sessions.signOut(current, csrf))
                .map(done -> browser.signedOut(request, "/sign-in"));
    }
}
