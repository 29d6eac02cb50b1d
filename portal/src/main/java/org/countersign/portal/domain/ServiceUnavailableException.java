package org.countersign.portal.domain;

/** A service could not be reached, did not answer in time, or answered 5xx. */
public final class ServiceUnavailableException extends RuntimeException {

    private final String service;

    public ServiceUnavailableException(String service, Throwable cause) {
        super(service + " is unavailable: " + (cause == null ? "no answer" : cause.getClass().getSimpleName()), cause);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
