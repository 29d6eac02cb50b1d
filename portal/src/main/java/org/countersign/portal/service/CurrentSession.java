package org.countersign.portal.service;

import org.countersign.portal.domain.PortalSession;

/**
 * The browser's session: its keys (from the cookie, or new ones for a browser without a usable cookie)
 * and the signed-in user, or null before sign-in.
 */
public record CurrentSession(SessionKeys keys, PortalSession session, boolean newCookie) {

    public boolean signedIn() {
        return session != null;
    }

    public CurrentSession with(PortalSession next) {
        return new CurrentSession(keys, next, newCookie);
    }
}
