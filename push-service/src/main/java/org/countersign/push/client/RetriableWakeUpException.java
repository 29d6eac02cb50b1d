package org.countersign.push.client;

/** A provider failure that a later attempt may cure: a timeout, a refused connection, 429 or 5xx, an expired credential. */
class RetriableWakeUpException extends RuntimeException {

    RetriableWakeUpException(String reason) {
        super(reason, null, false, false);
    }
}
