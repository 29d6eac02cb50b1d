package org.countersign.push.domain;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The authentication types an online device offers, as an admin configures them over the channel
 * (seed 000: "remotely configure authentication types after a device is paired"). A device without
 * {@link #PUSH} is sent no push requests.
 */
public enum AuthType {
    /** One-time passwords (and PIN+OTP). */
    OTP,
    /** Push approvals over this service. */
    PUSH,
    /** Offline transaction signing (colour codes). */
    SIGNATURE;

    /** Every type: what a new device offers until an admin changes it. */
    public static final Set<AuthType> DEFAULT = EnumSet.allOf(AuthType.class);

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but otp, push or signature (lower case) */
    public static AuthType fromWire(String text) {
        for (AuthType type : values()) {
            if (type.wire().equals(text)) {
                return type;
            }
        }
        throw new IllegalArgumentException("An authentication type is otp, push or signature");
    }

    /** The column form: wire names, comma separated, in declaration order. */
    public static String toColumn(Set<AuthType> types) {
        List<String> names = new ArrayList<>();
        for (AuthType type : values()) {
            if (types.contains(type)) {
                names.add(type.wire());
            }
        }
        return String.join(",", names);
    }

    public static Set<AuthType> fromColumn(String column) {
        Set<AuthType> types = EnumSet.noneOf(AuthType.class);
        if (column != null && !column.isEmpty()) {
            for (String name : column.split(",")) {
                types.add(fromWire(name));
            }
        }
        return types;
    }

    public static List<String> wireNames(Set<AuthType> types) {
        List<String> names = new ArrayList<>();
        for (AuthType type : values()) {
            if (types.contains(type)) {
                names.add(type.wire());
            }
        }
        return names;
    }
}
