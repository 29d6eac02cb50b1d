package org.countersign.web;

import java.net.URI;

/**
 * A stable kind of problem: a slug that ends its type URI, an HTTP status and a short title.
 * {@link ProblemType} holds the generic ones; each service keeps an enum of its business problems
 * (for example {@code licence-activation-limit}) that implements this interface with one {@link Spec}
 * per constant.
 */
public interface ProblemKind {

    /**
     * What defines a problem kind.
     *
     * @param slug the kebab-case name that ends the type URI; never changes once published
     */
    record Spec(String slug, int status, String title) {
    }

    Spec spec();

    default String slug() {
        return spec().slug();
    }

    default int status() {
        return spec().status();
    }

    default String title() {
        return spec().title();
    }

    default URI type() {
        return ProblemType.uriOf(slug());
    }
}
