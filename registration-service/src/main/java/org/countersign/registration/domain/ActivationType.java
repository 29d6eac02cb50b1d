package org.countersign.registration.domain;

import java.util.Locale;

/** How a registered authenticator will be activated (protocol.md). */
public enum ActivationType {
    OFFLINE,
    ONLINE,
    MIGRATE,
    /** A stock authenticator app (Google's Key Uri Format): the secret is shown once, in the otpauth URI. */
    OTPAUTH;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActivationType fromWire(String value) {
        for (ActivationType type : values()) {
            if (type.wire().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown activation type");
    }
}
