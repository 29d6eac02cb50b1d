package org.countersign.testing.fuzz;

import java.util.function.Consumer;

/**
 * One change to a valid request.
 *
 * @param refuses whether the change breaks what the OpenAPI document (or HTTP) makes certain, so that
 *                the request must be refused; false where acceptance is possible (an unknown query
 *                parameter, a right-to-left mark in a user id)
 * @param replacesBody whether it throws the body away, and with it what earlier edits made certain
 */
record Edit(String label, Stage stage, boolean refuses, boolean replacesBody, Consumer<FuzzCase> change) {

    /** Edits apply in this order: values in the JSON tree, then the body's bytes, then the rest of the request. */
    enum Stage { BODY_VALUE, BODY_BYTES, REQUEST }

    static Edit request(String label, boolean refuses, Consumer<FuzzCase> change) {
        return new Edit(label, Stage.REQUEST, refuses, false, change);
    }
}
