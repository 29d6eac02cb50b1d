package org.countersign.portal.rest;

/** What every page shows around its content: the portal's name, who is signed in, and the forms' CSRF token. */
public record Chrome(String title, String userId, String csrf) {
}
