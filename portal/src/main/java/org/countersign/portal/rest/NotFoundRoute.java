package org.countersign.portal.rest;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A page in words for an address no resource or static file serves (they hand such requests on), instead of
 * Vert.x's bare "Resource not found".
 */
@ApplicationScoped
public class NotFoundRoute {

    private final Browser browser;

    public NotFoundRoute(Browser browser) {
        this.browser = browser;
    }

    void install(@Observes Router router) {
        router.route().last().handler(context -> context.response().setStatusCode(404)
                .putHeader("Content-Type", "text/html;charset=UTF-8")
                .end(Pages.error(browser.anonymousChrome(), "Page not found", "There is no page at this address.", null).render()));
    }
}
