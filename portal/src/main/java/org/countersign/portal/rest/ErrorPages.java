package org.countersign.portal.rest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.countersign.portal.domain.CsrfRefusedException;
import org.countersign.portal.domain.NoActivationException;
import org.countersign.portal.domain.NotSignedInException;
import org.countersign.portal.domain.ServiceProblemException;
import org.countersign.portal.domain.ServiceUnavailableException;
import org.countersign.portal.domain.UnknownDeviceException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure as a page in words: never a stack trace, a service's problem+json or its detail. What went
 * wrong unexpectedly is logged with an incident id, which the page gives the user to quote.
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    private final Browser browser;

    public ErrorPages(Browser browser) {
        this.browser = browser;
    }

    @ServerExceptionMapper
    public Response notSignedIn(NotSignedInException e) {
        return Response.status(Response.Status.SEE_OTHER).header("Location", "/sign-in").build();
    }

    @ServerExceptionMapper
    public Response noActivation(NoActivationException e) {
        return Response.status(Response.Status.SEE_OTHER).header("Location", "/activate/current").build();
    }

    @ServerExceptionMapper
    public Response csrf(CsrfRefusedException e, HttpServerRequest request) {
        LOG.infof("Refused a form without its session's CSRF token: %s %s", request.method(), request.path());
        return page(403, "This form has expired", "Nothing was changed: the form was not sent from this site, or the page "
                + "was open too long. Go back, reload the page and try again.", null);
    }

    @ServerExceptionMapper
    public Response unknownDevice(UnknownDeviceException e) {
        return page(404, "No such device", "This device is not one of yours, or it was removed.", null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return page(404, "Page not found", "There is no page at this address.", null);
    }

    @ServerExceptionMapper
    public Response unavailable(ServiceUnavailableException e) {
        String incident = incident();
        LOG.warnf("Incident %s: %s", incident, e.getMessage());
        return page(503, "Not available right now", "This cannot be done right now. Please try again in a few minutes.",
                incident);
    }

    /** A problem no page expected: a bug of the portal's, or a service that changed its contract. */
    @ServerExceptionMapper
    public Response problem(ServiceProblemException e) {
        String incident = incident();
        LOG.errorf("Incident %s: %s", incident, e.getMessage());
        int status = e.status() == 404 ? 404 : 502;
        return page(status, "That did not work", Messages.activation(e.type(), null), incident);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        return page(status, "That did not work", "This page cannot do that. Go back to the start and try again.", null);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        String incident = incident();
        LOG.errorf(e, "Incident %s: unexpected failure", incident);
        return page(500, "Something went wrong", "Something went wrong on our side. Please try again later.", incident);
    }

    private Response page(int status, String heading, String message, String incident) {
        return Response.status(status).type(Browser.HTML)
                .entity(Pages.error(browser.anonymousChrome(), heading, message, incident)).build();
    }

    private static String incident() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
