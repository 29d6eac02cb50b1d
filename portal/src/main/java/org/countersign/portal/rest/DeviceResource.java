package org.countersign.portal.rest;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.countersign.portal.domain.Device;
import org.countersign.portal.domain.Notice;
import org.countersign.portal.domain.ServiceProblemException;
import org.countersign.portal.domain.ServiceUnavailableException;
import org.countersign.portal.service.ActivationService;
import org.countersign.portal.service.CurrentSession;
import org.countersign.portal.service.DeviceService;
import org.countersign.portal.service.SessionService;
import org.jboss.resteasy.reactive.RestForm;

/** "My devices": the list, "Remove" with its confirmation, and "Rescan Device". */
@Path("/devices")
@Produces(Browser.HTML)
public class DeviceResource {

    private final Browser browser;
    private final DeviceService devices;
    private final ActivationService activations;
    private final SessionService sessions;

    public DeviceResource(Browser browser, DeviceService devices, ActivationService activations, SessionService sessions) {
        this.browser = browser;
        this.devices = devices;
        this.activations = activations;
        this.sessions = sessions;
    }

    @GET
    public Uni<Response> list(@Context HttpServerRequest request) {
        return browser.signedIn(request).chain(current -> devices.devicesOf(current.session().userId()).chain(list -> {
            Notice notice = current.session().notice();
            Uni<CurrentSession> shown = notice == null ? Uni.createFrom().item(current)
                    : sessions.save(current, current.session().withNotice(null));
            return shown.map(after -> browser.page(request, after, 200, Pages.devices(browser.chrome(after),
                    list.devices().stream().map(device -> Rows.DeviceRow.of(device, list.pushAvailable())).toList(),
                    list.pushAvailable(), list.approvals().stream().map(Rows.ApprovalRow::of).toList(),
                    Rows.ApprovalRow.stateOf(list.approvals()),
                    notice == null ? null : Messages.notice(notice.kind(), notice.serialNumber()),
                    after.session().flow() != null)));
        }));
    }

    /**
     * What the page's script asks every few seconds: {@code {"state": <the ids of the pending approvals>}}; it
     * reloads the page when that differs from what the page shows. Not a use of the session (a tab left open
     * still times out), and 503 when the push-service cannot say, so that the script just asks again.
     */
    @GET
    @Path("/approvals")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> approvals(@Context HttpServerRequest request) {
        return browser.signedInUnused(request).chain(current -> devices.approvalsOf(current.session().userId())
                .map(list -> Response.ok("{\"state\":\"" + Rows.ApprovalRow.stateOf(list) + "\"}").build())
                .onFailure(e -> e instanceof ServiceUnavailableException || e instanceof ServiceProblemException)
                .recoverWithItem(e -> Response.status(Response.Status.SERVICE_UNAVAILABLE).entity("{\"state\":null}").build()));
    }

    @GET
    @Path("/{instanceId}/remove")
    public Uni<Response> confirmRemoval(@Context HttpServerRequest request, @PathParam("instanceId") String instanceId) {
        return browser.signedIn(request).chain(current -> devices.own(current.session().userId(), instanceId)
                .map(instance -> browser.page(request, current, 200,
                        Pages.remove(browser.chrome(current), Rows.DeviceRow.of(new Device(instance, null), true)))));
    }

    @POST
    @Path("/{instanceId}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> remove(@Context HttpServerRequest request, @PathParam("instanceId") String instanceId,
                                @RestForm("_csrf") String csrf) {
        return browser.signedIn(request).chain(current -> devices.remove(current, csrf, instanceId))
                .map(after -> browser.redirect(request, after, "/devices"));
    }

    @POST
    @Path("/{instanceId}/rescan")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> rescan(@Context HttpServerRequest request, @PathParam("instanceId") String instanceId,
                                @RestForm("_csrf") String csrf) {
        return browser.signedIn(request).chain(current -> activations.startRescan(current, csrf, instanceId))
                .map(after -> browser.redirect(request, after, "/activate/current"));
    }
}
