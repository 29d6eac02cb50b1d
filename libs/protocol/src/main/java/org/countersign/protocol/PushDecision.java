package org.countersign.protocol;

/** A device's answer to a push request, as it travels in JSON and in the signed text. */
public enum PushDecision {
    APPROVE("approve"),
    DENY("deny");

    private final String wire;

    PushDecision(String wire) {
        this.wire = wire;
    }

    /** {@code approve} or {@code deny}. */
    public String wire() {
        return wire;
    }

    /**
     * Exact and case-sensitive, as protocol.md writes them.
     *
     * @throws IllegalArgumentException for anything but {@code approve} or {@code deny}
     */
    public static PushDecision fromWire(String text) {
        for (PushDecision decision : values()) {
            if (decision.wire.equals(text)) {
                return decision;
            }
        }
        throw new IllegalArgumentException("decision is approve or deny");
    }
}
