package org.countersign.push.domain;

import java.util.Locale;

/** Where a device receives its wake-ups: FCM (Android), APNs (iOS), or only its own channel (web, other). */
public enum Platform {
    ANDROID,
    IOS,
    WEB,
    OTHER;

    /** The form events carry (android, ios, web, other); anything else is OTHER. */
    public static Platform fromEvent(String platform) {
        if (platform == null) {
            return OTHER;
        }
        try {
            return valueOf(platform.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return OTHER;
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
