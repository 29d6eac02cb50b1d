package org.countersign.portal.rest;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.countersign.portal.config.PortalConfig;
import org.countersign.portal.service.CurrentSession;
import org.countersign.portal.service.SessionService;

/**
 * The browser's side of a session: the cookie (HttpOnly, SameSite=Strict, and Secure with the __Host- prefix
 * when served over TLS), pages and redirects that set it when it is new.
 */
@ApplicationScoped
public class Browser {

    static final String HTML = "text/html;charset=UTF-8";
    static final String COOKIE = "countersign-portal";
    static final String SECURE_COOKIE = "__Host-countersign-portal";

    private final SessionService sessions;
    private final PortalConfig config;

    public Browser(SessionService sessions, PortalConfig config) {
        this.sessions = sessions;
        this.config = config;
    }

    /** The session of this request, signed in or not. */
    Uni<CurrentSession> current(HttpServerRequest request) {
        return sessions.current(cookie(request));
    }

    /** The signed-in session, or a redirect to the sign-in page (NotSignedInException). */
    Uni<CurrentSession> signedIn(HttpServerRequest request) {
        return sessions.signedIn(cookie(request));
    }

    /** As {@link #signedIn}, for what a page asks by itself: not a use of the session (its idle timeout runs on). */
    Uni<CurrentSession> signedInUnused(HttpServerRequest request) {
        return sessions.signedInUnused(cookie(request));
    }

    private String cookie(HttpServerRequest request) {
        Cookie cookie = request.getCookie(secure(request) ? SECURE_COOKIE : COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    boolean secure(HttpServerRequest request) {
        return config.session().secureCookie().orElse("https".equals(request.scheme()));
    }

    Chrome chrome(CurrentSession current) {
        return new Chrome(config.title(), current.signedIn() ? current.session().userId() : null, current.keys().csrfToken());
    }

    /** A chrome for pages shown outside any session (errors). */
    Chrome anonymousChrome() {
        return new Chrome(config.title(), null, null);
    }

    Response page(HttpServerRequest request, CurrentSession current, int status, TemplateInstance page) {
        return withCookie(request, current, Response.status(status).entity(page)).build();
    }

    /** 303 See Other to a path of this portal (a relative Location, so that it holds behind any gateway). */
    Response redirect(HttpServerRequest request, CurrentSession current, String path) {
        return withCookie(request, current, Response.status(Response.Status.SEE_OTHER).header("Location", path)).build();
    }

    /** After sign-out: the cookie is removed from the browser. */
    Response signedOut(HttpServerRequest request, String path) {
        boolean secure = secure(request);
        return Response.status(Response.Status.SEE_OTHER).header("Location", path)
                .cookie(cookie(secure, "", 0)).build();
    }

    private Response.ResponseBuilder withCookie(HttpServerRequest request, CurrentSession current, Response.ResponseBuilder builder) {
        if (current != null && current.newCookie()) {
            builder.cookie(cookie(secure(request), current.keys().cookieValue(), NewCookie.DEFAULT_MAX_AGE));
        }
        return builder;
    }

    private static NewCookie cookie(boolean secure, String value, int maxAge) {
        return new NewCookie.Builder(secure ? SECURE_COOKIE : COOKIE).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
