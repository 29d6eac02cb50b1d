package org.countersign.web;

import java.net.URI;

/**
 * A stable kind of problem: a slug that ends its type URI, an HTTP status and a short title.
 * {@link ProblemType} holds the generic ones; each service keeps an enum of its business problems
 * (for example {@code licence-activation-limit}) that implements this interface.
 */
public interface ProblemKind {

    /** The kebab-case name that ends the type URI; never changes once published. */
    String slug();

    int status();

    String title();

    default URI type() {
        return ProblemType.uriOf(slug());
    }
}
