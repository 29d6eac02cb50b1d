package org.countersign.push.domain;

/** Where a device receives its wake-ups: FCM (Android), APNs (iOS), or only its own channel. */
public enum Platform {
    ANDROID,
    IOS,
    WEB,
    OTHER
}
