package org.countersign.portal.domain;

import java.time.Instant;

/**
 * A signed-in user, as kept in Redis: the domain and user, when they signed in, the activation under way
 * and a notice for the next page. No secret in clear: the flow's secrets are sealed.
 */
public record PortalSession(String domain, String userId, Instant signedInAt, ActivationFlow flow, Notice notice) {

    public static PortalSession signedIn(String domain, String userId, Instant at) {
        return new PortalSession(domain, userId, at, null, null);
    }

    public PortalSession withFlow(ActivationFlow next) {
        return new PortalSession(domain, userId, signedInAt, next, notice);
    }

    public PortalSession withNotice(Notice next) {
        return new PortalSession(domain, userId, signedInAt, flow, next);
    }
}
