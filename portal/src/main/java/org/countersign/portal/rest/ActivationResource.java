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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.countersign.portal.domain.ActivationChoice;
import org.countersign.portal.domain.ActivationFlow;
import org.countersign.portal.domain.ChoiceUnavailableException;
import org.countersign.portal.domain.ServiceProblemException;
import org.countersign.portal.service.ActivationService;
import org.countersign.portal.service.ActivationStep;
import org.countersign.portal.service.CurrentSession;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Activating a device. Every step is a form that redirects (303) to {@code /activate/current}, which shows
 * where the activation stands, so that a reload never sends a code twice.
 */
@Path("/activate")
@Produces(Browser.HTML)
public class ActivationResource {

    private static final String CURRENT = "/activate/current";

    private final Browser browser;
    private final ActivationService activations;

    public ActivationResource(Browser browser, ActivationService activations) {
        this.browser = browser;
        this.activations = activations;
    }

    @GET
    public Uni<Response> choose(@Context HttpServerRequest request) {
        return browser.signedIn(request).chain(current -> choicePage(request, current, 200, null));
    }

    private Uni<Response> choicePage(HttpServerRequest request, CurrentSession current, int status, String error) {
        return activations.choices(current.session().userId()).map(choices -> {
            List<Rows.ChoiceRow> rows = new ArrayList<>();
            for (ActivationChoice choice : choices) {
                // A licence in use (its device is listed) or reserved by an activation under way is not offered.
                if (choice.available()) {
                    rows.add(Rows.ChoiceRow.of(choice, rows.size()));
                }
            }
            return browser.page(request, current, status, Pages.choose(browser.chrome(current), rows, error));
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> start(@Context HttpServerRequest request, @RestForm("_csrf") String csrf, @RestForm String choice) {
        return browser.signedIn(request).chain(current -> activations.start(current, csrf, choice)
                .map(after -> browser.redirect(request, after, CURRENT))
                .onFailure(ChoiceUnavailableException.class)
                .recoverWithUni(e -> choicePage(request, current, 409, Messages.activation("choice-unavailable", null)))
                .onFailure(ServiceProblemException.class)
                .recoverWithUni(e -> choicePage(request, current, 409,
                        Messages.activation(((ServiceProblemException) e).type(), null))));
    }

    @GET
    @Path("/current")
    public Uni<Response> current(@Context HttpServerRequest request) {
        return browser.signedIn(request).chain(activations::step).map(step -> {
            if (step.flow() == null) {
                boolean finished = step.session().session().notice() != null;
                return browser.redirect(request, step.session(), finished ? "/devices" : "/activate");
            }
            return browser.page(request, step.session(), 200, Pages.activation(browser.chrome(step.session()), row(step)));
        });
    }

    @GET
    @Path("/status")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<String> status(@Context HttpServerRequest request) {
        return browser.signedIn(request).chain(activations::status).map(state -> "{\"state\":\"" + state + "\"}");
    }

    @POST
    @Path("/device-code")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> deviceCode(@Context HttpServerRequest request, @RestForm("_csrf") String csrf, @RestForm String deviceCode) {
        return browser.signedIn(request).chain(current -> activations.submitDeviceCode(current, csrf, deviceCode))
                .map(after -> browser.redirect(request, after, CURRENT));
    }

    @POST
    @Path("/signature")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signature(@Context HttpServerRequest request, @RestForm("_csrf") String csrf, @RestForm String signature) {
        return browser.signedIn(request).chain(current -> activations.submitSignature(current, csrf, signature))
                .map(after -> browser.redirect(request, after, after.session().flow() == null ? "/devices" : CURRENT));
    }

    @POST
    @Path("/first-code")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> firstCode(@Context HttpServerRequest request, @RestForm("_csrf") String csrf, @RestForm String code) {
        return browser.signedIn(request).chain(current -> activations.submitFirstCode(current, csrf, code))
                .map(after -> browser.redirect(request, after, after.session().flow() == null ? "/devices" : CURRENT));
    }

    @POST
    @Path("/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> cancel(@Context HttpServerRequest request, @RestForm("_csrf") String csrf) {
        return browser.signedIn(request).chain(current -> activations.cancel(current, csrf))
                .map(after -> browser.redirect(request, after, "/devices"));
    }

    /** The step's page in words: what to scan, what to type, what went wrong. */
    private static Rows.StepRow row(ActivationStep step) {
        ActivationFlow flow = step.flow();
        String serial = flow.serialNumber();
        String error = flow.error() == null ? null : Messages.activation(flow.error(), step.ended() ? null : flow.attemptsLeft());
        String image = step.image() == null ? null : "data:image/png;base64," + Base64.getEncoder().encodeToString(step.image());
        Rows.When expires = Rows.When.of(flow.expiresAt());
        String kind = Rows.StepRow.kindOf(flow.kind());
        return switch (flow.kind()) {
            case OFFLINE -> flow.awaitingSignature()
                    ? new Rows.StepRow(kind, serial, "Activate device " + serial + ": step 2 of 2",
                            "Point your device's camera at this second code. Your device then shows a signature of 8 digits: "
                                    + "type it below.", image, "Second activation code for device " + serial
                                    + ", to scan with the device's camera", "signature", "Signature",
                            "The 8 digits your device shows after scanning the second code.", "/activate/signature",
                            error, step.ended(), false, false, expires)
                    : new Rows.StepRow(kind, serial, "Activate device " + serial + ": step 1 of 2",
                            "Point your device's camera at this code. Your device then shows a device code of 14 digits: "
                                    + "type it below.", image, "First activation code for device " + serial
                                    + ", to scan with the device's camera", "deviceCode", "Device code",
                            "The 14 digits your device shows, spaces or not.", "/activate/device-code",
                            error, step.ended(), false, false, expires);
            case ONLINE -> new Rows.StepRow(kind, serial, "Activate " + serial + " on your phone",
                    "Open the app on your phone and scan this code. The app sets itself up over the network; this page "
                            + "moves on by itself once your phone has confirmed.", image,
                    "Activation code for the phone app, to scan with the app", null, null, null, null,
                    error, step.ended(), true, step.preparing(), expires);
            case RESCAN -> new Rows.StepRow(kind, serial, "Rescan device " + serial,
                    "Scan this code with the app on your phone. Your device moves to the phone and keeps its codes; this "
                            + "page moves on by itself once your phone has confirmed.", image,
                    "Rescan code for device " + serial + ", to scan with the phone app", null, null, null, null,
                    error, step.ended(), true, step.preparing(), expires);
            case OTPAUTH -> new Rows.StepRow(kind, serial, "Add " + serial + " to your authenticator app",
                    "Scan this code with your authenticator app (Google Authenticator, Microsoft Authenticator, Aegis, "
                            + "FreeOTP...). Then type the code the app shows.", image,
                    "Code to scan with your authenticator app", "code", "Code from the app",
                    "The 6 digits the app shows now.", "/activate/first-code",
                    error, step.ended(), false, false, expires);
        };
    }
}
