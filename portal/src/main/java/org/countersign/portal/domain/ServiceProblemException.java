package org.countersign.portal.domain;

/**
 * A service answered a problem (RFC 9457): its status and the stable last segment of its {@code type}
 * (e.g. {@code wrong-activation-signature}). Pages switch on the type, never on the service's detail.
 */
public final class ServiceProblemException extends RuntimeException {

    private final String service;
    private final int status;
    private final String type;

    public ServiceProblemException(String service, int status, String type) {
        super(service + " answered " + status + " " + type, null, false, false);
        this.service = service;
        this.status = status;
        this.type = type;
    }

    public String service() {
        return service;
    }

    public int status() {
        return status;
    }

    /** The problem type's slug, or {@code http-<status>} for an answer that was not problem+json. */
    public String type() {
        return type;
    }

    public boolean is(String slug) {
        return type.equals(slug);
    }
}
