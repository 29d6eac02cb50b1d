package org.countersign.portal.domain;

/** A licence as the registration-service lists it among a user's. */
public record Licence(String serialNumber, String authenticatorType, int activationsLeft, String status, String source) {

    /** Active, and not an imported token (PSKC), whose secret came with it and which is never activated. */
    public boolean activatable() {
        return "ACTIVE".equalsIgnoreCase(status) && !"pskc".equals(source);
    }
}
