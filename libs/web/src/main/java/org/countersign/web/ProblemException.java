package org.countersign.web;

import java.util.Map;

/**
 * The base of every business failure a service throws. One mapper turns it into problem+json, so a
 * resource never builds an error response itself. The detail is sent to the caller: it must never
 * carry a secret.
 */
public class ProblemException extends RuntimeException {

    private final transient ProblemKind kind;
    private final transient Map<String, String> headers;

    public ProblemException(ProblemKind kind, String detail) {
        this(kind, detail, Map.of());
    }

    public ProblemException(ProblemKind kind, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.kind = kind;
        this.headers = Map.copyOf(headers);
    }

    public ProblemKind kind() {
        return kind;
    }

    /** Extra response headers, for example {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }
}
