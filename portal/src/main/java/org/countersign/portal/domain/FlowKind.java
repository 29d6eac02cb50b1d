package org.countersign.portal.domain;

import java.util.Locale;

/** The ways a page activates a device, each with the registration-service's activation type. */
public enum FlowKind {
    /** Two images and two codes typed (a hardware token or app with a camera, no network). */
    OFFLINE("offline"),
    /** A phone app scans one QR code and enrols its key over the network. */
    ONLINE("online"),
    /** A stock authenticator app scans an otpauth QR code; its first code confirms it. */
    OTPAUTH("otpauth"),
    /** "Rescan Device": an active offline device moves online with one scan. */
    RESCAN("migrate");

    private final String activationType;

    FlowKind(String activationType) {
        this.activationType = activationType;
    }

    public String activationType() {
        return activationType;
    }

    /** The kind a user may start from the activation page, or null for any other activation type. */
    public static FlowKind startable(String activationType) {
        for (FlowKind kind : values()) {
            if (kind != RESCAN && kind.activationType.equals(activationType.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        return null;
    }
}
